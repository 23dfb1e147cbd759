"""The debrief a learner alone gets after grading: model answers and self-scoring checklists.

A written answer's marking guide (the solution region of its nbgrader answer
cell, which the Formgrader shows the instructor) is written in two parts::

    **Model answer.** What a strong candidate would say, in a few sentences.

    **Checklist.**
    - [2] a criterion worth two points
    - [1] another criterion

:func:`debriefs` reads them from a lesson's source notebook;
:func:`debrief_html` renders them, with the learner's own answer and any
self-scores, as a section that ``course selfgrade`` appends to the feedback
page. A guide without the two parts is shown whole, as the instructor sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup
from nbconvert.filters import markdown2html_mistune
from nbformat import NotebookNode

from .cells import REGION, is_solution, is_written_answer, nbgrader_meta
from .pages import render
from .sanitize import clean_html

CRITERION = re.compile(r"^\s*[-*]\s*\[(\d+(?:\.\d+)?)\]\s+(.+?)\s*$", re.MULTILINE)
MODEL_ANSWER = re.compile(r"\*\*Model answer\.?\*\*\s*(.*?)(?=^\s*\*\*Checklist|\Z)", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Criterion:
    points: float
    text: str


@dataclass(frozen=True)
class Debrief:
    """One written answer's model answer and checklist (or its whole guide when it has neither)."""

    grade_id: str
    points: float
    prompt: str
    model_answer: str
    checklist: tuple[Criterion, ...] = ()
    guide: str = ""

    @property
    def structured(self) -> bool:
        return bool(self.model_answer and self.checklist)


def _guide(source: str) -> str:
    match = REGION.search(source)
    return (match.group(2) if match else source).strip()


def debriefs(source: NotebookNode) -> list[Debrief]:
    """The debrief of every written answer of a source notebook, in the notebook's order.

    The prompt is the markdown cell just above the answer, as the learner read it.
    """
    found: list[Debrief] = []
    previous = ""
    for cell in source.cells:
        if is_written_answer(cell):
            meta = nbgrader_meta(cell)
            guide = _guide(cell.source)
            model = MODEL_ANSWER.search(guide)
            checklist = tuple(Criterion(float(points), text) for points, text in CRITERION.findall(guide))
            found.append(
                Debrief(
                    grade_id=meta["grade_id"],
                    points=float(meta.get("points", 0)),
                    prompt=previous,
                    model_answer=model.group(1).strip() if model else "",
                    checklist=checklist,
                    guide=guide,
                )
            )
        if cell.cell_type == "markdown" and not is_solution(cell):
            previous = cell.source
    return found


def checklist_problems(found: list[Debrief]) -> list[str]:
    """Where a debrief's checklist does not add up to its answer's points, or is missing."""
    problems = []
    for debrief in found:
        if not debrief.structured:
            problems.append(f"{debrief.grade_id}: no **Model answer.** and **Checklist.** with - [points] items")
        elif abs(sum(item.points for item in debrief.checklist) - debrief.points) > 1e-9:
            problems.append(
                f"{debrief.grade_id}: the checklist adds up to "
                f"{sum(item.points for item in debrief.checklist):g}, the answer is worth {debrief.points:g}"
            )
    return problems


def _markdown(text: str) -> str:
    return clean_html(markdown2html_mistune(text))


@dataclass
class _Rendered:
    debrief: Debrief
    prompt_html: object
    answer_html: object
    model_html: object
    self_score: float | None = None


def debrief_html(found: list[Debrief], answers: dict[str, str], self_scores: dict[str, float]) -> str:
    """The debrief section: each written answer with the learner's text, the model answer and the checklist.

    Every piece of markdown (the learner's included) is rendered and then
    cleaned by :func:`course.sanitize.clean_html`; the rest is escaped by the template.
    """
    items = [
        _Rendered(
            debrief=debrief,
            prompt_html=Markup(_markdown(debrief.prompt)),
            answer_html=Markup(_markdown(answers.get(debrief.grade_id, "") or "*(empty)*")),
            model_html=Markup(_markdown(debrief.model_answer if debrief.structured else debrief.guide)),
            self_score=self_scores.get(debrief.grade_id),
        )
        for debrief in found
    ]
    return render("debrief.html", items=items)


def append_to_page(page: str, section: str) -> str:
    """``page`` with ``section`` just before its closing body tag (at the end when there is none)."""
    closing = page.rfind("</body>")
    return page + section if closing < 0 else page[:closing] + section + page[closing:]
