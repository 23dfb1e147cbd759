"""The drill bank: blank-page interview problems, and mock interviews drawn from it.

A drill is what an interviewer actually hands over: a one- or two-sentence
prompt, a function name with its call shape, and an empty cell. Each lives in
``drills/<slug>/``:

* ``drill.py``, a jupytext percent script in the authoring format of
  :mod:`course.authoring`: the prompt, a cell for the learner's own
  clarifying questions, the interviewer's answers folded in a ``<details>``
  block, one solution cell that is *entirely* the reference (so the release
  shows nothing but the stub), test cells whose hidden tests check properties
  every correct answer has, and a plot of what the code does;
* ``drill.toml``: the title, difficulty, target minutes and tags, the typical
  mistakes (each must lose points) and alternative correct answers written
  differently (each must keep full marks), both as :class:`course.mutants.Mutant`
  text replacements in the solution cell.

Drills are assembled into one nbgrader notebook: the whole bank for the
grading proof (:func:`bank_variants`), or a seeded draw of a few for a timed
mock (:func:`draw`, :func:`mock_source`). Grade ids start with the drill's
slug, and each drill's graded names are its own, so drills never see each
other's answers.
"""

from __future__ import annotations

import ast
import random
import tomllib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .authoring import AuthoringError, script_to_notebook
from .cells import (
    grade_id_of,
    has_role,
    is_answer_code,
    is_grade,
    without_solution_markers,
)
from .layout import CourseError
from .mutants import Mutant
from .rubric import UNCATEGORISED, category_of
from .submissions import Answers

DRILLS_FOLDER = "drills"
SCRIPT = "drill.py"
ABOUT = "drill.toml"
# The budget of a mock interview when none is given: a typical coding round.
MOCK_MINUTES = 45
# What `course mock --tags` filters on: every drill is one kind, then has topics.
KINDS = frozenset({"ml", "classic"})
TOPICS = frozenset(
    {
        "regression",
        "classification",
        "clustering",
        "trees",
        "neural-nets",
        "optimisation",
        "recsys",
        "streaming",
        "metrics",
        "validation",
        "nlp",
        "linear-algebra",
        "sampling",
        "heap",
        "hash-map",
        "graph",
        "design",
    }
)


class Difficulty(str, Enum):
    """How hard a drill is for someone who knows the algorithm."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class DrillError(CourseError):
    """A drill whose files do not follow the bank's format; the message names the file."""


@dataclass(frozen=True)
class Drill:
    """One problem of the bank, as authored."""

    slug: str
    title: str
    difficulty: Difficulty
    minutes: int
    tags: tuple[str, ...]
    cells: tuple[NotebookNode, ...]
    mistakes: tuple[Mutant, ...] = ()
    alternatives: tuple[Mutant, ...] = ()

    @property
    def grade_ids(self) -> list[str]:
        """The drill's graded cells (tests and written answers)."""
        return [grade_id_of(cell) or "" for cell in self.cells if is_grade(cell)]

    @property
    def solution(self) -> str:
        """The reference answer, as the learner would type it (markers removed)."""
        return next(without_solution_markers(cell.source) for cell in self.cells if is_answer_code(cell))

    @property
    def defined_names(self) -> set[str]:
        """Top-level functions and classes the reference defines: what the tests call."""
        tree = ast.parse(self.solution)
        return {
            node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        }


def _mutants(about: dict, key: str, cell: str, path: Path) -> tuple[Mutant, ...]:
    found = []
    for index, entry in enumerate(about.get(key, []), start=1):
        try:
            found.append(
                Mutant(
                    name=entry["name"],
                    mistake=entry.get("mistake", entry.get("why", "")),
                    cell=entry.get("cell", cell),
                    find=entry.get("find", ""),
                    replace=entry["replace"],
                )
            )
        except KeyError as missing:
            raise DrillError(f"{path}: [[{key}]] number {index} has no {missing}") from None
    return tuple(found)


def load_drill(folder: Path) -> Drill:
    """Read ``drills/<slug>/``; raise :class:`DrillError` naming what is wrong."""
    slug = folder.name
    script, about_path = folder / SCRIPT, folder / ABOUT
    for path in (script, about_path):
        if not path.is_file():
            raise DrillError(f"drill {slug!r} has no {path.name} (expected {path})")
    try:
        about = tomllib.loads(about_path.read_text(encoding="utf-8"))
        cells = tuple(script_to_notebook(script).cells)
    except (tomllib.TOMLDecodeError, AuthoringError) as error:
        raise DrillError(f"drill {slug!r}: {error}") from None
    solutions = [grade_id_of(cell) or "" for cell in cells if is_answer_code(cell)]
    if len(solutions) != 1:
        raise DrillError(f"{script}: a drill has exactly one solution cell, not {len(solutions)}")
    try:
        difficulty = Difficulty(about.get("difficulty", ""))
    except ValueError:
        raise DrillError(f"{about_path}: difficulty must be one of {[d.value for d in Difficulty]}") from None
    drill = Drill(
        slug=slug,
        title=str(about.get("title") or slug),
        difficulty=difficulty,
        minutes=int(about.get("minutes", 0)),
        tags=tuple(about.get("tags", ())),
        cells=cells,
        mistakes=_mutants(about, "mistake", solutions[0], about_path),
        alternatives=_mutants(about, "alternative", solutions[0], about_path),
    )
    for grade_id in drill.grade_ids + solutions:
        if slug not in grade_id:
            raise DrillError(f"{script}: grade_id {grade_id!r} must name the drill ({slug!r}) to stay unique in a mock")
    return drill


def load_bank(root: Path) -> list[Drill]:
    """Every drill under ``root / drills``, in slug order."""
    folder = root / DRILLS_FOLDER
    if not folder.is_dir():
        raise DrillError(f"no drill bank at {folder}")
    return [load_drill(path) for path in sorted(folder.iterdir()) if path.is_dir() and (path / SCRIPT).exists()]


def draw(bank: list[Drill], seed: int, problems: int, tags: list[str] | None = None) -> list[Drill]:
    """``problems`` drills drawn at random (reproducibly for a seed), among those with any of ``tags``."""
    pool = [drill for drill in bank if not tags or set(tags) & set(drill.tags)]
    if problems < 1:
        raise CourseError(f"--problems must be at least 1, not {problems}")
    if problems > len(pool):
        which = f" tagged {', '.join(tags)}" if tags else ""
        raise CourseError(f"asked for {problems} problems but the bank holds {len(pool)} drills{which}")
    return sorted(random.Random(seed).sample(pool, problems), key=lambda drill: (drill.minutes, drill.slug))


@dataclass
class MockPlan:
    """What a mock interview holds: the drills, its seed and the minutes for each."""

    seed: int
    drills: list[Drill]
    minutes: int = MOCK_MINUTES
    budgets: dict[str, int] = field(default_factory=dict)
    chosen: bool = False  # drills named by the learner rather than drawn

    @property
    def name(self) -> str:
        """The notebook's name: the seed of a draw, or the drills a learner chose."""
        return (
            ("drills_" + "_".join(drill.slug for drill in self.drills))[:100]
            if self.chosen
            else f"mock_seed{self.seed}"
        )

    def __post_init__(self) -> None:
        # Each drill's share of the round follows its target time.
        total = sum(drill.minutes for drill in self.drills) or 1
        self.budgets = {drill.slug: max(1, round(self.minutes * drill.minutes / total)) for drill in self.drills}


_STEPS = """\
Work as in the real round, on every problem:

1. **Clarify.** Write the questions you would ask in the cell under the prompt
   (inputs, edge cases, what to return) *before* you open the interviewer's answers.
2. **Outline.** Say the plan and its cost (time and memory) in a comment.
3. **Implement.** Start from the blank cell; NumPy's documentation is fair game.
4. **Test.** Run the small check under your cell, then try an edge case of your own.

A timer cell starts each problem and `timer.finish()` stops it; going over costs
no points, but the plot at the end shows where your time went."""

_TIMER = '''\
import json
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np


class Timer:
    """A stopwatch per problem, kept in ``mock_times.json`` beside the notebook."""

    def __init__(self, path="mock_times.json"):
        self.path = Path(path)
        try:
            self.times = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.times = {}
        self.running = None

    def start(self, problem, budget_minutes):
        self.running = (problem, budget_minutes, time.monotonic())
        print(f"[timer] {problem}: {budget_minutes} min from now; timer.finish() when done")

    def finish(self):
        if self.running is None:
            print("[timer] nothing is running")
            return
        problem, budget, started = self.running
        spent = (time.monotonic() - started) / 60
        self.times[problem] = {"minutes": round(spent, 2), "budget": budget}
        self.running = None
        try:
            self.path.write_text(json.dumps(self.times, indent=1))
        except OSError:
            pass  # a read-only folder loses the record, not the interview
        print(f"[timer] {problem}: {spent:.1f} of {budget} min")

    def plot(self):
        names = list(self.times) or ["(nothing finished yet)"]
        spent = [self.times.get(name, {}).get("minutes", 0) for name in names]
        budget = [self.times.get(name, {}).get("budget", 0) for name in names]
        fig, ax = plt.subplots(figsize=(7, 0.6 + 0.45 * len(names)))
        ax.barh(names, budget, color="lightgrey", label="budget")
        ax.barh(names, spent, height=0.5, label="time spent",
                color=["tab:red" if s > b else "tab:green" for s, b in zip(spent, budget)])
        ax.invert_yaxis()
        ax.set(xlabel="minutes", title="Where the interview time went")
        ax.legend(loc="lower right")
        plt.show()


timer = Timer()'''


def _locked(source: str, grade_id: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": grade_id,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return cell


def mock_source(plan: MockPlan) -> NotebookNode:
    """The instructor's version of a mock interview: every drill with its reference and hidden tests."""
    rows = "\n".join(
        f"| {number}. {drill.title} | {drill.difficulty.value} | {plan.budgets[drill.slug]} min |"
        for number, drill in enumerate(plan.drills, start=1)
    )
    intro = (
        f"# {'Drills' if plan.chosen else f'Mock interview · seed {plan.seed}'}\n\n"
        f"{len(plan.drills)} problem{'s' if len(plan.drills) > 1 else ''} from the drill bank, "
        f"{plan.minutes} minutes in all.\n\n"
        f"| problem | difficulty | budget |\n|---|---|---|\n{rows}\n\n{_STEPS}"
    )
    cells = [nbformat.v4.new_markdown_cell(intro), _locked(_TIMER, "mock_setup")]
    for number, drill in enumerate(plan.drills, start=1):
        cells.append(
            nbformat.v4.new_markdown_cell(f"---\n## Problem {number} · {drill.title} ({plan.budgets[drill.slug]} min)")
        )
        cells.append(nbformat.v4.new_code_cell(f'timer.start("{drill.slug}", {plan.budgets[drill.slug]})'))
        cells += [nbformat.from_dict(dict(cell)) for cell in drill.cells]
        cells.append(nbformat.v4.new_code_cell("timer.finish()"))
    cells.append(
        nbformat.v4.new_markdown_cell(
            "## Debrief\n\nWhere did the time go? Compare with the budgets, "
            "then reread the clarifications you did not ask for."
        )
    )
    cells.append(nbformat.v4.new_code_cell("timer.plot()"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update(
        {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "course_mock": {
                "seed": plan.seed,
                "minutes": plan.minutes,
                "drills": [drill.slug for drill in plan.drills],
            },
        }
    )
    return notebook


def bank_source(bank: list[Drill]) -> NotebookNode:
    """The whole bank as one source notebook (for the grading proof)."""
    return mock_source(MockPlan(seed=0, drills=bank, minutes=sum(drill.minutes for drill in bank)))


def bank_problems(bank: list[Drill]) -> list[str]:
    """Problems with the bank as a whole: clashing names or ids, bad categories, missing parts."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for drill in bank:
        for name in drill.defined_names:
            if name in owner:
                problems.append(
                    f"{drill.slug} and {owner[name]} both define {name}(): in one mock, "
                    "the tests of one would call the other's answer"
                )
            owner[name] = drill.slug
        for grade_id in drill.grade_ids:
            if category_of(grade_id) == UNCATEGORISED:
                problems.append(f"{drill.slug}: grade_id {grade_id!r} does not start with a rubric category")
        if not drill.mistakes:
            problems.append(f"{drill.slug}: no typical mistake in {ABOUT}")
        if not drill.alternatives:
            problems.append(f"{drill.slug}: no alternative correct answer in {ABOUT}")
        if len(KINDS & set(drill.tags)) != 1 or set(drill.tags) - KINDS - TOPICS:
            problems.append(
                f"{drill.slug}: tags {list(drill.tags)} need exactly one of {sorted(KINDS)} and "
                f"otherwise topics from {sorted(TOPICS)}"
            )
        if drill.minutes <= 0:
            problems.append(f"{drill.slug}: no target minutes")
        if not any(cell.cell_type == "code" and "plt." in cell.source and not has_role(cell) for cell in drill.cells):
            problems.append(f"{drill.slug}: no plot cell (an ungraded code cell using matplotlib)")
        if not any(cell.cell_type == "markdown" and "<details>" in cell.source for cell in drill.cells):
            problems.append(f"{drill.slug}: no clarifications folded in <details>")
    return problems


def variant_answers(notebook_name: str, drills: list[Drill], pick: dict[str, Mutant | None]) -> Answers:
    """The reference answers of ``drills``, with ``pick[slug]`` applied to the drills it names."""
    answers: Answers = {}
    for drill in drills:
        key = (notebook_name, next(grade_id_of(cell) or "" for cell in drill.cells if is_answer_code(cell)))
        answers[key] = drill.solution
        variant = pick.get(drill.slug)
        if variant is not None:
            answers = variant.apply(notebook_name.removesuffix(".ipynb"), answers)
    return answers
