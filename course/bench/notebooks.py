"""Section 3: how long each source notebook takes to execute, against its time budget.

Also the notebook runner that section 4 compares the grader with.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ..nbgrader_api import load_config
from .measure import Row, Section, seconds

NOTEBOOK_BUDGET = 30.0


def execute(path: Path, arguments: list[str]) -> float:
    """Seconds to execute a notebook with nbclient, in its own folder (it may write files there).

    ``arguments`` are the course's ``Execute.extra_arguments``, so the
    kernel starts as it does under nbgrader (quiet log, no history file).
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        extra_arguments=arguments,
        resources={"metadata": {"path": str(path.parent)}},
    )
    return seconds(client.execute)


def kernel_arguments(root: Path) -> list[str]:
    """The kernel's command-line arguments from the course's nbgrader configuration."""
    return list(load_config(root).Execute.get("extra_arguments", []))


def bench_notebooks(root: Path, lessons: list[str], repeats: int) -> Section:
    """Section 3: execution time of every solution (source) notebook and of the whole course."""
    section = Section(
        "Notebook budgets",
        ("seconds",),
        notes=[
            "Each source notebook (solutions and hidden tests) executed with nbclient in a scratch copy of its "
            f"folder; median of {repeats} run(s). Target: under {NOTEBOOK_BUDGET:g} s each on 2 cores."
        ],
    )
    total, arguments = 0.0, kernel_arguments(root)
    for lesson in lessons:
        with tempfile.TemporaryDirectory(prefix=f"bench-{lesson}-") as workdir:
            folder = Path(shutil.copytree(root / "source" / lesson, Path(workdir) / lesson))
            for path in sorted(folder.glob("*.ipynb")):
                median = statistics.median(execute(path, arguments) for _ in range(repeats))
                total += median
                section.rows.append(
                    Row(
                        path.name,
                        lesson,
                        {"seconds": median},
                        target=f"< {NOTEBOOK_BUDGET:g} s",
                        met=median < NOTEBOOK_BUDGET,
                    )
                )
    section.rows.append(Row("whole course", f"{len(lessons)} lessons", {"seconds": total}))
    return section
