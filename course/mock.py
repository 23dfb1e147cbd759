"""``course mock``: a timed mock interview drawn from the drill bank.

The learner's notebook is built the way every release is: the drawn drills
are assembled into an instructor's notebook (:func:`course.drills.mock_source`)
in a scratch course, nbgrader's ``generate_assignment`` clears the answers and
hidden tests, and the leak check of :func:`course.build.build` runs on it.
The notebook's metadata names the seed and the drills, so the same mock can be
built again to grade it. For a cohort, ``--assignment NAME`` writes the
instructor's notebook into the course's ``source/NAME/`` instead, to be
released and graded like a lesson.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import nbformat
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .build import build
from .cohorts import REFERENCE, STUB
from .context import Course
from .drills import MOCK_MINUTES, MockPlan, bank_problems, draw, load_bank, mock_source
from .layout import CONFIG_FILE, LESSON_NAME, CourseError
from .selftest import alternative_student, check_drill_bank, mistake_student


def plan_mock(
    root: Path,
    seed: int,
    problems: int,
    minutes: int = MOCK_MINUTES,
    tags: list[str] | None = None,
    chosen: list[str] | None = None,
) -> MockPlan:
    """The drills of a mock interview: ``chosen`` by slug, or drawn reproducibly from the bank for ``seed``."""
    if minutes < 1:
        raise CourseError(f"--minutes must be at least 1, not {minutes}")
    bank = load_bank(root)
    if not chosen:
        return MockPlan(seed=seed, drills=draw(bank, seed, problems, tags), minutes=minutes)
    by_slug = {drill.slug: drill for drill in bank}
    unknown = [slug for slug in chosen if slug not in by_slug]
    if unknown:
        raise CourseError(f"no drill named {', '.join(unknown)}; `course drills` lists them")
    drills = [by_slug[slug] for slug in dict.fromkeys(chosen)]
    return MockPlan(
        seed=seed,
        drills=drills,
        minutes=minutes if minutes != MOCK_MINUTES else sum(drill.minutes for drill in drills),
        chosen=True,
    )


def write_mock(root: Path, plan: MockPlan, out: Path) -> Path:
    """Write the learner's mock notebook into ``out``; return its path."""
    name = plan.name
    with tempfile.TemporaryDirectory(prefix="course-mock-") as scratch:
        course = Path(scratch)
        shutil.copy(root / CONFIG_FILE, course / CONFIG_FILE)
        (course / "source" / name).mkdir(parents=True)
        nbformat.write(mock_source(plan), course / "source" / name / f"{name}.ipynb")
        [released] = build(Course.open(course), [name])
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{name}.ipynb"
        shutil.copy(released, target)
    return target


def add_mock_assignment(root: Path, plan: MockPlan, assignment: str) -> Path:
    """Write the instructor's version of a fixed mock into ``source/<assignment>/``, for a cohort."""
    if not LESSON_NAME.match(assignment):
        raise CourseError(
            f"an assignment name looks like 10_mock_interview (two digits, an underscore, lower "
            f"case), not {assignment!r}"
        )
    target = root / "source" / assignment / f"{assignment}.ipynb"
    if target.exists():
        raise CourseError(f"{target} exists already; choose another name or remove it first")
    target.parent.mkdir(parents=True)
    nbformat.write(mock_source(plan), target)
    return target


def _mock_command(args: argparse.Namespace, console: Console, course: Course) -> int:
    root = course.root
    plan = plan_mock(root, args.seed, args.problems, args.minutes, args.tags, args.drills)
    if args.assignment:
        path = add_mock_assignment(root, plan, args.assignment)
        console.print(f"wrote {path.relative_to(root)}; `course build {args.assignment}` releases it", highlight=False)
        return 0
    path = write_mock(root, plan, Path(args.out))
    console.print(
        f"wrote {path}: {', '.join(drill.slug for drill in plan.drills)} in {plan.minutes} min", highlight=False
    )
    return 0


def _drills_command(args: argparse.Namespace, console: Console, course: Course) -> int:
    root = course.root
    bank = load_bank(root)
    if args.check is None:
        table = Table(title=f"The drill bank: {len(bank)} drills")
        for column in ("drill", "difficulty", "minutes", "tags", "mistakes", "alternatives"):
            table.add_column(column)
        for drill in bank:
            table.add_row(
                drill.slug,
                drill.difficulty.value,
                str(drill.minutes),
                ", ".join(drill.tags),
                str(len(drill.mistakes)),
                str(len(drill.alternatives)),
            )
        console.print(table)
        return 0
    chosen = [drill for drill in bank if not args.check or drill.slug in args.check]
    unknown = sorted(set(args.check) - {drill.slug for drill in bank})
    if unknown:
        raise CourseError(f"no drill named {', '.join(unknown)} in drills/")
    problems = bank_problems(bank)
    with tempfile.TemporaryDirectory(prefix="check-drills-") as workdir:
        result = check_drill_bank(course, chosen, Path(workdir))
    table = Table(title="Drill self-check (autograded points)")
    for column in ("drill", "reference", "blank", "mistakes losing points", "alternatives at full marks"):
        table.add_column(column)
    failed = bool(problems or result.problems)
    for drill in chosen:
        reference, most = result.points(REFERENCE, drill)
        blank = result.points(STUB, drill)[0]
        survivors = [
            mistake.name
            for index, mistake in enumerate(drill.mistakes)
            if result.points(mistake_student(index), drill)[0] >= most
        ]
        wrong = [
            alternative.name
            for index, alternative in enumerate(drill.alternatives)
            if result.points(alternative_student(index), drill)[0] < most
        ]
        failed |= reference < most or blank > 0 or bool(survivors or wrong) or most == 0
        table.add_row(
            drill.slug,
            f"{reference:g}/{most:g}",
            f"{blank:g}",
            f"{len(drill.mistakes) - len(survivors)}/{len(drill.mistakes)} " + " ".join(survivors),
            f"{len(drill.alternatives) - len(wrong)}/{len(drill.alternatives)} " + " ".join(wrong),
        )
    console.print(table)
    for line in problems + [f"{student}: {reason}" for student, reason in result.problems.items()]:
        console.print(f"[red]{escape(line)}[/]")
    return 1 if failed else 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mock`` and ``drills`` to the course CLI's sub-commands."""
    command = commands.add_parser("mock", help="a timed mock interview of drills drawn at random from the bank")
    command.add_argument("--seed", type=int, default=0, help="the draw (the same seed gives the same mock)")
    command.add_argument("--problems", type=int, default=3, help="how many drills (default 3)")
    command.add_argument("--minutes", type=int, default=MOCK_MINUTES, help=f"the time budget (default {MOCK_MINUTES})")
    command.add_argument("--tags", nargs="+", help="draw only drills with one of these tags (see `course drills`)")
    command.add_argument(
        "--drills",
        nargs="+",
        metavar="SLUG",
        help="these drills instead of a random draw (budget: their target minutes unless --minutes)",
    )
    where = command.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="folder to write the learner's notebook mock_seed<N>.ipynb into")
    where.add_argument("--assignment", help="instead, add this mock to the course as source/<NAME>/ for a cohort")
    command.set_defaults(run=_mock_command)
    listing = commands.add_parser("drills", help="list the drill bank: difficulty, target minutes, tags")
    listing.add_argument(
        "--check",
        nargs="*",
        metavar="SLUG",
        help="grade these drills (default: all): reference, blank page, mistakes, alternatives",
    )
    listing.set_defaults(run=_drills_command)
