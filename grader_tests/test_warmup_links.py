"""Lesson 00's checklist of common mistakes points at the lessons that drill them.

Each item links to a release notebook and names a section of it in italics
inside the link text: ``[lesson 03, *1 · Squared distances without a loop*](../03_clustering/03_clustering.ipynb)``.
Another lesson renaming that section, or moving its notebook, breaks the link
silently for learners; these tests break instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from course_under_test import ROOT

WARMUP = ROOT / "release" / "00_warmup" / "00_warmup.ipynb"
CHECKLIST_HEADING = "## Ten mistakes that sink candidates"
NOTEBOOK_LINK = re.compile(r"\[(?P<label>[^\]]*)\]\((?P<target>[^)\s]+\.ipynb)\)")
SECTION_IN_LABEL = re.compile(r"\*(?P<section>[^*]+)\*")
MISTAKE_ITEM = re.compile(r"^- \[ \] ", re.MULTILINE)


def headings(path: Path) -> set[str]:
    """Text of every markdown heading in the notebook at ``path``, without the hashes."""
    found: set[str] = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            found.update(line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#"))
    return found


def checklist() -> str:
    """The markdown of the cell that holds the checklist."""
    cells = [
        cell.source
        for cell in nbformat.read(WARMUP, as_version=4).cells
        if cell.cell_type == "markdown" and cell.source.startswith(CHECKLIST_HEADING)
    ]
    assert len(cells) == 1, f"lesson 00 should have one cell starting with {CHECKLIST_HEADING!r}"
    return cells[0]


def test_checklist_has_ten_items_each_with_a_drill() -> None:
    items = MISTAKE_ITEM.split(checklist())[1:]
    assert len(items) == 10, "the checklist should list the ten mistakes, one task-list item each"
    for number, item in enumerate(items, start=1):
        assert NOTEBOOK_LINK.search(item), f"mistake {number} links to no lesson that drills it"


def test_every_link_reaches_an_existing_section() -> None:
    links = list(NOTEBOOK_LINK.finditer(checklist()))
    assert links
    for link in links:
        target = (WARMUP.parent / link["target"]).resolve()
        assert target.is_file(), f"{link['target']} does not exist in release/"
        assert target.is_relative_to(ROOT / "release"), f"{link['target']} should point at a release notebook"
        section = SECTION_IN_LABEL.search(link["label"])
        assert section, f"the link to {link['target']} should name its section in italics"
        assert section["section"].strip() in headings(target), (
            f"{link['target']} has no section called {section['section']!r}: was it renamed?"
        )
