"""The report: sections as rich tables on the console and as BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import sys
from datetime import datetime

import numpy as np
import sklearn
from rich.console import Console
from rich.table import Table

from .measure import Figure, Row, Section

LOADED_ABOVE = 1.0  # a 1-minute load per core above this marks a figure as taken under load


def render_value(value: Figure) -> str:
    """A figure as text: ratios and times to 3-4 significant digits, None as a dash."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if value >= 1000 and float(value).is_integer() else f"{value:.4g}"


def cells(row: Row, section: Section, cores: int) -> list[str]:
    """The text of one row, in the table's column order."""
    met = "-" if row.met is None else ("yes" if row.met else "NO")
    loaded = " *" if row.load / cores > LOADED_ABOVE else ""
    return [
        row.case,
        row.size,
        *(render_value(row.figures.get(c)) for c in section.columns),
        row.target,
        met,
        f"{row.load:.1f}{loaded}",
        row.note,
    ]


def headers(section: Section) -> list[str]:
    """The column titles of a section's table, fixed columns around its figures."""
    return ["case", "size", *section.columns, "target", "met", "load", "note"]


def print_tables(sections: list[Section], console: Console) -> None:
    """Print every section as a rich table."""
    cores = os.cpu_count() or 1
    for section in sections:
        table = Table(title=section.title)
        for header in headers(section):
            table.add_column(header, overflow="fold")
        for row in section.rows:
            table.add_row(*cells(row, section, cores))
        console.print(table)
        for note in section.notes:
            console.print(f"  {note}", style="dim", soft_wrap=True)


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    return {
        "cores": str(os.cpu_count()),
        "CPU": platform.processor() or platform.machine(),
        "Python": sys.version.split()[0],
        "NumPy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "platform": platform.platform(),
    }


def markdown(
    sections: list[Section],
    started: datetime,
    load_start: tuple[float, ...],
    load_end: tuple[float, ...],
    repeats: int,
    notebook_repeats: int,
) -> str:
    """BENCHMARKS.md: the machine, the conditions, and one table per section."""
    cores = os.cpu_count() or 1
    loaded = [f"{row.case} ({row.size})" for s in sections for row in s.rows if row.load / cores > LOADED_ABOVE]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m course bench`, code in `course/bench/`); do not edit by hand.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        *(f"- {key}: {value}" for key, value in machine().items()),
        f"- Repeats: {repeats} per figure for sections 1-2, {notebook_repeats} for sections 3-6 (medians)",
        f"- Load average (1, 5, 15 min) at start: {', '.join(f'{x:.2f}' for x in load_start)}; "
        f"at end: {', '.join(f'{x:.2f}' for x in load_end)}",
        "",
        "**Noise.** The machine these figures were taken on was shared with other jobs. A figure measured "
        "while the 1-minute load average exceeded the core count is marked `*` in the `load` column: treat it "
        "as noisy. Ratios (both sides timed back to back in one run) suffer less than absolute seconds. "
        + (
            f"Taken under load: {len(loaded)} of {sum(len(s.rows) for s in sections)} rows."
            if loaded
            else "No row was taken under load."
        ),
        "",
    ]
    lines += ["## Targets", "", *target_summary(sections), ""]
    for number, section in enumerate(sections, start=1):
        lines += [f"## {number}. {section.title}", ""]
        lines += [f"{note}" for note in section.notes] + [""]
        head = headers(section)
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += [
            "| " + " | ".join(c.replace("|", "\\|") for c in cells(row, section, cores)) + " |" for row in section.rows
        ]
        lines.append("")
    return "\n".join(lines)


def target_summary(sections: list[Section]) -> list[str]:
    """One Markdown bullet per section: targets met, missed, and not measured."""
    bullets = []
    for section in sections:
        judged = [row for row in section.rows if row.met is not None]
        missed = [f"{row.case} ({row.size})" for row in judged if not row.met]
        unmeasured = [row.case for row in section.rows if row.met is None and row.target != "-"]
        parts = [f"{len(judged) - len(missed)} of {len(judged)} targets met"] if judged else []
        parts += [f"missed: {', '.join(missed)}"] if missed else []
        parts += [f"not measured: {', '.join(unmeasured)}"] if unmeasured else []
        bullets.append(f"- {section.title}: {'; '.join(parts) or 'no target, figures reported'}.")
    return bullets
