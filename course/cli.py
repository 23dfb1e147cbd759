"""Command line: ``python -m course {build,grade,feedback,report,demo,check,bench,progress,author,...}``.

The course is opened once here (:class:`course.context.Course`, with ``--db``
applied) and handed to the command; ``author`` and ``progress``, which also
work outside a course directory, are run without one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .authoring import author
from .build import build, stale_release
from .cohorts import mutant_student
from .colab import readme_is_current, update_readme
from .context import Course
from .demo import run_demo
from .feedback import generate_feedback
from .grade import Status, default_workers, grade
from .hints import register as register_hints
from .intake import DEFAULT_NAMING
from .layout import CourseError
from .mock import register as register_mock
from .mutants import load_library
from .plan import register as register_plan
from .progress import register as register_progress
from .report import build_report
from .selfgrade import register as register_selfgrade
from .selftest import check_lesson


def _build(args: argparse.Namespace, console: Console, course: Course) -> int:
    root = course.root
    if args.check:
        stale = stale_release(root)
        if stale:
            console.print(f"[red]release/ is stale for: {escape(', '.join(stale))}[/] (run `python -m course build`)")
            return 1
        console.print("release/ is up to date with source/")
        return 0
    lessons = [course.require_lesson(lesson) for lesson in args.lessons] or None
    for path in build(course, lessons):
        console.print(f"built {escape(str(path.relative_to(root)))}", highlight=False)
    return 0


def _grade(args: argparse.Namespace, console: Console, course: Course) -> int:
    run = grade(
        course,
        args.lesson,
        Path(args.submissions).resolve(),
        Path(args.reports).resolve() if args.reports else None,
        naming=args.naming,
        workers=args.workers,
        force=args.force,
        progress=True,
        cluster=args.cluster,
    )
    # Ids, messages and file names come from learners: escaped, so rich prints
    # them as typed instead of reading "[...]" in them as its markup.
    console.print(
        f"graded {len(run.students)} submission(s) of {run.lesson}"
        + (
            f", {len(run.resumed)} of them unchanged since an earlier run (use --force to grade them again)"
            if run.resumed
            else ""
        )
    )
    for outcome in run.outcomes:
        if outcome.status != Status.GRADED:
            console.print(
                f"[yellow]{outcome.status}[/] {escape(outcome.student_id)}: {escape(outcome.message)}",
                highlight=False,
                soft_wrap=True,
            )
    for name in run.skipped:
        console.print(f"[dim]skipped {escape(name)}: not a notebook or student folder[/]", highlight=False)
    console.print(
        escape(f"scores: {run.scores_csv}\nnbgrader grades: {run.grades_csv}\nsubmissions: {run.submissions_csv}"),
        highlight=False,
        soft_wrap=True,
    )  # a path broken over two lines cannot be copied
    return 0


def _demo(args: argparse.Namespace, console: Console, course: Course) -> int:
    run_demo(course, console)
    return 0


def _feedback(args: argparse.Namespace, console: Console, course: Course) -> int:
    run = generate_feedback(course, args.lesson, args.student)
    for page in run.pages:
        console.print(escape(f"feedback: {page}"), highlight=False)
    for student, reason in run.problems.items():
        console.print(f"[red]{escape(student)}: {escape(reason)}[/]", highlight=False)
    return 1 if run.problems else 0


def _report(args: argparse.Namespace, console: Console, course: Course) -> int:
    report = build_report(
        course, args.lesson, Path(args.reports).resolve() if args.reports else None, refresh=not args.no_refresh
    )
    console.print(escape(f"report: {report.html}"), highlight=False)
    return 0


def _check_lessons(args: argparse.Namespace, console: Console, course: Course) -> int:
    lessons = course.require_lessons(args.lessons)
    library = load_library(course.root)
    table = Table(title="Lesson self-check (autograded points)")
    for column in ("lesson", "reference", "stub", "mutants killed", "survivors"):
        table.add_column(column)
    failed = False
    for lesson in lessons:
        with tempfile.TemporaryDirectory(prefix=f"check-{lesson}-") as workdir:
            result = check_lesson(course, lesson, library.get(lesson, []), Path(workdir))
        survivors = [m.name for m in result.mutants if not result.killed(m)]
        ok = result.reference == result.max_auto and result.stub == 0 and not survivors and not result.problems
        failed |= not ok
        table.add_row(
            lesson,
            f"{result.reference:g}/{result.max_auto:g}",
            f"{result.stub:g}",
            f"{len(result.mutants) - len(survivors)}/{len(result.mutants)}",
            ", ".join(survivors) or "-",
        )
        for student, reason in result.problems.items():
            console.print(f"[red]{lesson} {escape(student)}: {escape(reason)}[/]", highlight=False)
        if args.verbose:
            for mutant in result.mutants:
                cells = ", ".join(result.failed_cells(mutant_student(mutant))) or "nothing"
                console.print(
                    f"{lesson} {mutant.name}: {result.mutant_score(mutant):g} points, fails {cells}", soft_wrap=True
                )
        if result.reference < result.max_auto:
            console.print(f"[red]{lesson}: the reference fails {result.failed_cells('reference')}[/]")
    console.print(table)
    return 1 if failed else 0


def _bench(args: argparse.Namespace, console: Console, course: Course) -> int:
    # imported here: scikit-learn is slow to load for the other commands
    from .bench import run_benchmarks

    run_benchmarks(
        course.root,
        console,
        repeats=args.repeats,
        notebook_repeats=args.notebook_repeats,
        sizes=args.sizes,
        sections=args.sections,
        cohort_size=args.cohort,
        database=(lambda: args.db) if args.db else None,
        output=Path(args.output) if args.output else None,
    )
    return 0


def _author(args: argparse.Namespace, console: Console) -> int:
    console.print(escape(f"wrote {author(Path(args.script), Path(args.output))}"), highlight=False)
    return 0


def _links(args: argparse.Namespace, console: Console, course: Course) -> int:
    root = course.root
    if args.check:
        if readme_is_current(root):
            console.print("README.md's Colab links are current")
            return 0
        console.print("[red]README.md's Colab links are stale[/] (run `python -m course links`)")
        return 1
    changed = update_readme(root)
    console.print("README.md's Colab links " + ("rewritten" if changed else "were already current"))
    return 0


def _database_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--db",
        dest="database",
        metavar="URL",
        help="the gradebook's database instead of the configured one (gradebook.db), e.g. "
        "postgresql://grader:secret@db.example.org/course; set c.CourseDirectory.db_url "
        "in nbgrader_config.py to make it permanent",
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="course", description=__doc__)
    # anywhere: the command runs without opening a course (it may be outside one).
    main.set_defaults(anywhere=False, database=None)
    commands = main.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="generate release/ from source/ and check it for leaks")
    build_cmd.add_argument("lessons", nargs="*", help="lessons to build (default: all)")
    build_cmd.add_argument("--check", action="store_true", help="only report whether release/ is stale")
    build_cmd.set_defaults(run=_build)

    grade_cmd = commands.add_parser("grade", help="autograde a folder of submissions")
    grade_cmd.add_argument("lesson")
    grade_cmd.add_argument(
        "submissions", help="folder or LMS .zip: <student>/<lesson>/<nb>.ipynb, <student>/<nb>.ipynb or <student>.ipynb"
    )
    grade_cmd.add_argument(
        "--naming",
        default=DEFAULT_NAMING,
        help="regex with a group (?P<student>...) reading the student id from a file or folder name "
        "(default: the part before the first _<digits>, e.g. alice_12345_67890_01_regression.ipynb -> alice)",
    )
    grade_cmd.add_argument("--reports", help="where to write <lesson>/scores.csv (default: reports/)")
    grade_cmd.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="students graded at once, one process each (default: the number of cores, "
        f"{default_workers()} here); the grades do not depend on it",
    )
    grade_cmd.add_argument(
        "--force", action="store_true", help="grade every student again, also those graded before from unchanged files"
    )
    grade_cmd.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="a Dask scheduler (tcp://HOST:8786): one task per student on its workers, each a clone of this "
        "course at the same commit; the gradebook and reports are still written here (docs/SCALE.md)",
    )
    _database_option(grade_cmd)
    grade_cmd.set_defaults(run=_grade)

    demo_cmd = commands.add_parser("demo", help="build the course and grade a demo cohort")
    demo_cmd.set_defaults(run=_demo)

    feedback_cmd = commands.add_parser(
        "feedback", help="per-student HTML feedback of a graded lesson (no hidden tests)"
    )
    feedback_cmd.add_argument("lesson")
    feedback_cmd.add_argument("--student", help="one student id (default: every graded student)")
    _database_option(feedback_cmd)
    feedback_cmd.set_defaults(run=_feedback)

    report_cmd = commands.add_parser("report", help="cohort report of a graded lesson: HTML with PNG plots")
    report_cmd.add_argument("lesson")
    report_cmd.add_argument("--reports", help="where `course grade` wrote <lesson>/scores.csv (default: reports/)")
    report_cmd.add_argument(
        "--no-refresh",
        action="store_true",
        help="use scores.csv as it is instead of exporting the gradebook (hand-graded points) again",
    )
    _database_option(report_cmd)
    report_cmd.set_defaults(run=_report)

    check_cmd = commands.add_parser("check", help="reference full marks, stub zero, every mutant loses points")
    check_cmd.add_argument("lessons", nargs="*")
    check_cmd.add_argument("--verbose", action="store_true", help="list the cells each mutant fails")
    check_cmd.set_defaults(run=_check_lessons)

    bench_cmd = commands.add_parser(
        "bench", help="benchmark solutions, notebooks, grading and scale; write BENCHMARKS.md"
    )
    bench_cmd.add_argument("--repeats", type=int, default=3, help="runs per figure, solutions and factorisation")
    bench_cmd.add_argument("--notebook-repeats", type=int, default=1, help="runs per figure, notebooks and grading")
    bench_cmd.add_argument("--sizes", type=int, nargs="+", help="data sizes for the solutions (default: 1k 10k 100k)")
    bench_cmd.add_argument(
        "--sections", nargs="+", help="solutions, factorization, notebooks, grading, scale, cluster (default: all)"
    )
    bench_cmd.add_argument("--output", help="the Markdown report to write (default: BENCHMARKS.md)")
    bench_cmd.add_argument("--cohort", type=int, default=2, help="reference submissions graded per lesson")
    bench_cmd.add_argument("--db", metavar="URL", help="a PostgreSQL database for the scale section's PostgreSQL row")
    bench_cmd.set_defaults(run=_bench)

    author_cmd = commands.add_parser("author", help="turn a percent-format lesson script into an nbgrader notebook")
    author_cmd.add_argument("script")
    author_cmd.add_argument("output")
    author_cmd.set_defaults(run=_author, anywhere=True)

    links_cmd = commands.add_parser(
        "links",
        help="write README.md's Open-in-Colab links for the course's GitHub "
        "repository ([tool.course] in pyproject.toml, or the origin remote)",
    )
    links_cmd.add_argument("--check", action="store_true", help="only report whether the links are current")
    links_cmd.set_defaults(run=_links)

    register_progress(commands)
    register_mock(commands)
    register_selfgrade(commands)
    register_plan(commands)
    register_hints(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    console = Console(emoji=False)  # ":name:" in a learner's message stays text too
    try:
        if args.anywhere:
            return args.run(args, console)
        return args.run(args, console, Course.find(database=args.database))
    except CourseError as error:
        Console(stderr=True, emoji=False).print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
