"""The 14-day study plan for a learner preparing alone.

The plan lives in ``docs/plan.toml``: a day at a time, each day a few items
(a lesson, a drill, a mock, a round without code, or rest) with an estimate in
minutes and what the learner should be able to do afterwards.
``docs/PLAN.md`` is rendered from it (``course plan --write``; a test keeps it
current), and ``course progress`` reads it to say what comes next.
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .context import Course
from .drills import load_bank
from .layout import CourseError, lesson_names

PLAN_FILE = Path("docs") / "plan.toml"
PAGE_FILE = Path("docs") / "PLAN.md"
# The rounds without code that the plan interleaves, and where the course trains each.
ROUNDS = {
    "values": "lesson 09, the values round: one STAR story per value",
    "system-design": "lesson 09, the system-design prompts and their level expectations",
    "debugging": "lesson 08, the written diagnosis",
}


class Kind(str, Enum):
    LESSON = "lesson"
    DRILL = "drill"
    MOCK = "mock"
    ROUND = "round"
    REST = "rest"


@dataclass(frozen=True)
class Item:
    """One thing to do on a day of the plan."""

    kind: Kind
    ref: str
    minutes: int
    goal: str

    @property
    def how(self) -> str:
        """Where to find it, in words a learner can act on."""
        if self.kind is Kind.LESSON:
            return f"release/{self.ref}/{self.ref}.ipynb"
        if self.kind is Kind.DRILL:
            return f"python -m course mock --drills {self.ref} --out mocks/"
        if self.kind is Kind.MOCK:
            return f"python -m course mock {self.ref} --out mocks/"
        if self.kind is Kind.ROUND:
            return ROUNDS[self.ref]
        return "-"


@dataclass(frozen=True)
class Day:
    day: int
    theme: str
    items: tuple[Item, ...]

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.items)


def load_plan(root: Path) -> list[Day]:
    """The plan, checked against the course: every lesson, drill and round it names exists."""
    path = root / PLAN_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CourseError(f"cannot read the study plan {path}: {error}") from None
    lessons = set(lesson_names(root))
    drills = {drill.slug for drill in load_bank(root)}
    days: list[Day] = []
    for entry in raw.get("day", []):
        items = []
        for item in entry.get("items", []):
            try:
                kind = Kind(item["kind"])
                parsed = Item(kind, str(item["ref"]), int(item["minutes"]), str(item["goal"]))
            except (KeyError, ValueError) as error:
                raise CourseError(f"{path}, day {entry.get('day')}: an item is malformed ({error})") from None
            known = {Kind.LESSON: lessons, Kind.DRILL: drills, Kind.ROUND: set(ROUNDS)}.get(kind)
            if known is not None and parsed.ref not in known:
                raise CourseError(f"{path}, day {entry.get('day')}: no {kind.value} named {parsed.ref!r}")
            items.append(parsed)
        days.append(Day(int(entry["day"]), str(entry.get("theme", "")), tuple(items)))
    return days


def render(days: list[Day]) -> str:
    """The plan as the Markdown page ``docs/PLAN.md``."""
    lines = [
        "# Fourteen days to the interview",
        "",
        "A plan for preparing alone, generated from `docs/plan.toml` by `python -m course plan --write`.",
        "Each day mixes a lesson or drills with a round without code, as the real loop does.",
        "Times are estimates for someone who knows Python and some NumPy; "
        "`python -m course progress` says where you are.",
        "",
    ]
    for day in days:
        hours = f"{day.minutes // 60} h {day.minutes % 60:02d}" if day.minutes else "free"
        lines += [
            f"## Day {day.day} · {day.theme} ({hours})",
            "",
            "| what | where | minutes | afterwards you can |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {item.kind.value} `{item.ref}` | {item.how} | {item.minutes} | {item.goal} |" for item in day.items
        ]
        lines.append("")
    return "\n".join(lines)


def _command(args: argparse.Namespace, console: Console, course: Course) -> int:
    root = course.root
    days = load_plan(root)
    if args.write:
        (root / PAGE_FILE).write_text(render(days), encoding="utf-8")
        console.print(f"wrote {PAGE_FILE}")
        return 0
    table = Table(title="Fourteen days to the interview")
    for column in ("day", "what", "minutes", "afterwards you can"):
        table.add_column(column)
    for day in days:
        for index, item in enumerate(day.items):
            table.add_row(
                str(day.day) if index == 0 else "",
                f"{item.kind.value} {escape(item.ref)}",
                str(item.minutes),
                escape(item.goal),
            )
    console.print(table)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``plan`` to the course CLI's sub-commands."""
    command = commands.add_parser("plan", help="the 14-day study plan, day by day")
    command.add_argument("--write", action="store_true", help="render docs/PLAN.md from docs/plan.toml")
    command.set_defaults(run=_command)
