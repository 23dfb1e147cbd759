"""The debrief: model answers and checklists read from marking guides, rendered safely."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup

from course.debrief import append_to_page, checklist_problems, debrief_html, debriefs


def answer_cell(guide: str, points: int = 3, grade_id: str = "understanding-why") -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(f"### BEGIN SOLUTION\n{guide}\n### END SOLUTION")
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": True,
        "locked": False,
        "grade_id": grade_id,
        "points": points,
        "schema_version": 3,
        "task": False,
    }
    return cell


GUIDE = """*Marking guide (3 points).*

**Model answer.** Scaling makes the curvatures alike, so one learning rate suits every direction.

**Checklist.**
- [2] ties the learning rate to the largest curvature
- [1] says when scaling changes the solution (ridge)
"""


def source(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Why scale the features?"), *cells])


def test_model_answer_and_checklist_are_read_from_the_guide() -> None:
    [debrief] = debriefs(source(answer_cell(GUIDE)))
    assert debrief.prompt == "Why scale the features?"
    assert debrief.model_answer.startswith("Scaling makes the curvatures alike")
    assert [(item.points, item.text[:8]) for item in debrief.checklist] == [(2.0, "ties the"), (1.0, "says whe")]
    assert checklist_problems([debrief]) == []


def test_a_checklist_that_does_not_add_up_or_is_missing_is_reported() -> None:
    found = debriefs(source(answer_cell(GUIDE, points=4), answer_cell("Any sound answer.", grade_id="communication-x")))
    problems = checklist_problems(found)
    assert any("adds up to 3" in problem for problem in problems)
    assert any(problem.startswith("communication-x: no **Model answer.**") for problem in problems)


def test_the_learners_answer_cannot_run_script_in_the_debrief() -> None:
    found = debriefs(source(answer_cell(GUIDE)))
    hostile = 'My answer <script>window.pwned=1</script><img src=x onerror="window.pwned=2"> [x](javascript:alert(1))'
    section = debrief_html(found, {"understanding-why": hostile}, {"understanding-why": 2.0})
    soup = BeautifulSoup(append_to_page("<html><body><p>page</p></body></html>", section), "html.parser")
    assert not soup.find_all("script")
    assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
    assert not [tag for tag in soup.find_all("a") if "javascript" in (tag.get("href") or "")]
    text = soup.get_text()
    assert "My answer" in text and "Scaling makes the curvatures alike" in text and "your score 2" in text
    assert soup.body.find("section", id="debrief") is not None, "the debrief goes inside the page's body"
