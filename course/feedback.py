"""Per-student feedback pages, built with nbgrader's ``generate_feedback``.

nbgrader renders each autograded notebook to HTML with its scores, but the
autograded notebook holds what a learner must not see: autograde puts the
hidden tests back into the test cells, and a failing test's traceback quotes
the lines around the failure. Here nbgrader's converter runs with three more
preprocessors:

* nbgrader's :class:`~nbgrader.preprocessors.ClearHiddenTests` removes the
  ``### BEGIN HIDDEN TESTS`` regions from the cells' source;
* :class:`RedactOutputs` reduces a test cell's error to its diagnostic message
  and drops every other output a hidden input could have reached;
* :class:`RubricSummary` puts a table on top: each grade cell's id, rubric
  category, points, pass or fail, and its message.

The course's ``nbgrader_config.py`` makes nbconvert show the learner's own
HTML (markdown, written answers, displayed outputs) as inert text
(:mod:`course.sanitize`). Each page is then checked for distinctive
hidden-test lines (:func:`hidden_test_lines`) and for anything a browser
would run in its body (:func:`course.sanitize.runnable_markup`), and deleted
if one is found. The pages go where
nbgrader puts feedback, ``feedback/<student>/<lesson>/<notebook>.html``, so
``nbgrader release_feedback`` hands them out through the exchange.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

from .cells import hidden_test_lines, is_grade, is_test_cell
from .context import Course
from .execution import DEAD, GRADER_ERROR, NOT_RUN, TIMED_OUT
from .gradebook import read_scores
from .layout import CourseError, notebooks
from .nbgrader_api import NbgraderFailed, require_success
from .pages import render
from .rubric import LABELS, UNCATEGORISED, WEIGHTS
from .sanitize import runnable_markup
from .scores import GradedBy, ScoreRow

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Errors the grader itself gives a cell (a limit hit, a cell left unrun): their words are the grader's.
GRADER_ERRORS = frozenset({TIMED_OUT, DEAD, NOT_RUN, GRADER_ERROR})
# IPython (8+) heads each traceback frame of notebook code with "Cell In[<n>], line <l>".
FRAME = re.compile(r"^Cell In\[(\d+)\]")
TAG = re.compile(r"<[^>]+>")
# How a traceback quotes a source line: "     18     except ValueError:", "----> 22 assert ...".
NUMBERED = re.compile(r"^(?:-*>)?\s*\d+\s+")


def raised_in_cell(error: NotebookNode, cell: NotebookNode) -> bool:
    """Whether ``error`` was raised by ``cell``'s own code, not by a function it called.

    The innermost frame of the traceback names the cell it ran in; the test
    cell's own ``assert`` or ``raise AssertionError(...)`` is the diagnostic
    the author wrote, whereas an error raised inside the learner's function
    carries the learner's message, which may quote the hidden inputs.
    """
    frames = [ANSI.sub("", entry) for entry in error.get("traceback", [])]
    heads = [match.group(1) for match in map(FRAME.match, frames) if match]
    return bool(heads) and cell.execution_count is not None and heads[-1] == str(cell.execution_count)


def diagnostic(cell: NotebookNode) -> str:
    """The message a failing autograded test cell gives the learner ("" when it raised nothing).

    The grading harness records who raised the error (``harness`` in the
    cell's metadata): the test's own assertion or the grader speaks in its
    own words; an error of the learner's function is named with the function,
    without its message, which may quote the hidden inputs; an error inside a
    library the test called is named alone, as its message may too.
    """
    raised_by = cell.metadata.get("harness", {})
    origin = raised_by.get("origin") if isinstance(raised_by, dict) else None
    for output in cell.get("outputs", []):
        if output.output_type != "error":
            continue
        if (
            origin in ("test", "grader")
            or output.ename in GRADER_ERRORS
            or (origin is None and raised_in_cell(output, cell))
        ):
            return f"{output.ename}: {output.evalue}" if output.evalue else output.ename
        if origin == "library":
            return f"{output.ename} raised while the hidden test checked what your code returned"
        function = raised_by.get("function") if origin == "learner" else None
        where = f"your {function}" if function else "your code"
        return f"{output.ename} raised inside {where} while a hidden test called it"
    return ""


class RedactOutputs(NbGraderPreprocessor):
    """Keep only what the learner may see of the outputs of an autograded notebook.

    A test cell keeps one error output, its :func:`diagnostic`, without the
    traceback (which quotes hidden-test lines); the message is also kept in
    the cell's metadata (``diagnostic``) for :class:`RubricSummary`. Every
    other output of a test cell and of any cell run after the first test cell
    is dropped: the learner's code can print or display the hidden inputs it
    is called with.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        after_tests = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if is_test_cell(cell):
                message = diagnostic(cell)
                ename, _, evalue = message.partition(": ")
                cell.metadata["diagnostic"] = message
                cell.outputs = (
                    [nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[message])]
                    if message
                    else []
                )
                after_tests = True
            elif after_tests:
                cell.outputs = []
        return nb, resources


def status(row: ScoreRow) -> str:
    """``pass`` or ``fail`` for a test cell (full marks or not); written answers are graded or waiting."""
    if row.graded_by == GradedBy.MANUAL:
        return "awaiting a grader" if row.score is None else "graded"
    return "pass" if (row.score or 0.0) >= row.max_score else "fail"


def summary_html(student: str, lesson: str, rows: list[ScoreRow], messages: dict[str, str]) -> str:
    """The table on top of a feedback page: rubric categories, then every grade cell.

    ``rows`` are one notebook's rows of ``scores.csv``; ``messages`` maps a
    grade id to its diagnostic (test cells) or the grader's comment.
    """
    categories = []
    for category in [*WEIGHTS, UNCATEGORISED]:
        mine = [row for row in rows if row.category == category]
        graded = [row for row in mine if row.score is not None]
        if not mine:
            continue
        got, most = sum(row.score or 0.0 for row in graded), sum(row.max_score for row in graded)
        categories.append(
            {
                "label": LABELS.get(category, category),
                "weight": f"{WEIGHTS[category]:.0%}" if category in WEIGHTS else "-",
                "points": f"{got:g} / {most:g}" if graded else f"- / {sum(row.max_score for row in mine):g}",
                "share": f"{got / most:.0%}" if most else "awaiting a grader",
            }
        )
    cells = [
        {
            "grade_id": row.grade_id,
            "label": LABELS.get(row.category, row.category),
            "points": f"{'-' if row.score is None else f'{row.score:g}'} / {row.max_score:g}",
            "status": status(row),
            "message": messages.get(row.grade_id, ""),
        }
        for row in rows
    ]
    return render("feedback_summary.html", student=student, lesson=lesson, categories=categories, cells=cells)


class RubricSummary(NbGraderPreprocessor):
    """Put a summary of every grade cell, by rubric category, at the top of the notebook.

    The points come from the gradebook through :func:`course.gradebook.read_scores`,
    so the page says what ``scores.csv`` says (a written answer nobody graded
    yet is waiting, not zero). The messages are those :class:`RedactOutputs`
    kept, and the graders' comments.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        messages = {
            cell.metadata.nbgrader["grade_id"]: cell.metadata.get("diagnostic")
            or cell.metadata.nbgrader.get("comment")
            or ""
            for cell in nb.cells
            if is_grade(cell)
        }
        order = list(messages)  # the notebook's order, which the learner reads in
        rows = sorted(
            (
                row
                for row in read_scores(info["db_url"], info["assignment"], [info["student"]])
                if row.notebook == info["notebook"]
            ),
            key=lambda row: order.index(row.grade_id),
        )
        # A markdown cell renders through nbgrader's own template; nbconvert passes raw HTML through.
        nb.cells.insert(
            0, nbformat.v4.new_markdown_cell(summary_html(info["student"], info["assignment"], rows, messages))
        )
        return nb, resources


FEEDBACK_PREPROCESSORS = [GetGrades, ClearHiddenTests, RedactOutputs, RubricSummary, CSSHTMLHeaderPreprocessor]


def page_text(page: str) -> str:
    """The text a browser shows of an HTML page (tags removed, entities decoded).

    Code is highlighted token by token, so a leaked line is only found once
    the tags between its tokens are gone.
    """
    return html.unescape(TAG.sub("", page))


def leaked_lines(page: str, secret: set[str]) -> list[str]:
    """The lines of ``secret`` that a page shows as a line of its own.

    Whole lines, as in :func:`course.build.find_leaks`: a short hidden call
    such as ``mse_rmse(y_true, y_pred)`` is also part of the visible ``def``.
    A traceback's line numbers and arrow (``----> 22``) are ignored.
    """
    lines = {line.strip() for line in page_text(page).splitlines()}
    return sorted(secret & (lines | {NUMBERED.sub("", line) for line in lines}))


# The exception line of a traceback in nbgrader's log ("nbconvert...InvalidNotebook: missing attachment: x.png").
EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Notebook)): (.+)$", re.MULTILINE)


def cause(log: str) -> str:
    """The first exception nbgrader's log names, other than its own summary, as "Name: message"."""
    for name, message in EXCEPTION_LINE.findall(log):
        if name != "NbGraderException":
            return f"{name}: {message.strip()}"
    return "nbgrader gave no reason"


@dataclass
class FeedbackRun:
    """What :func:`generate_feedback` wrote."""

    lesson: str
    pages: list[Path] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)


def generate_feedback(course: Course, lesson: str, student: str | None = None) -> FeedbackRun:
    """Write the feedback pages of ``lesson`` for one student or every graded one.

    Parameters
    ----------
    course : Course
        The course, graded with ``course grade``.
    lesson : str
        The lesson (nbgrader assignment).
    student : str, optional
        One student id; by default every student in ``autograded/``.

    Returns
    -------
    FeedbackRun
        The pages written (``feedback/<student>/<lesson>/<notebook>.html``);
        pages that would have shown a hidden-test line or run a script of the
        submission are deleted and their students listed in ``problems``.
    """
    lesson, root = course.require_lesson(lesson), course.root
    students = [student] if student else sorted(p.parent.name for p in (root / "autograded").glob(f"*/{lesson}"))
    if not students:
        raise CourseError(f"no graded submission of {lesson} in {root / 'autograded'}; run `course grade` first")
    config = course.nbgrader_config()
    config.GenerateFeedback.preprocessors = FEEDBACK_PREPROCESSORS
    api = course.api(config)
    secret = set().union(
        *(hidden_test_lines(nbformat.read(p, as_version=4)) for p in notebooks(root, "source", lesson))
    )
    run = FeedbackRun(lesson)
    for name in students:
        try:
            require_success(
                api.generate_feedback(lesson, name, force=True), f"nbgrader generate_feedback {lesson} {name}"
            )
        except NbgraderFailed as failure:
            run.problems[name] = f"the feedback page could not be rendered ({cause(str(failure))})"
            continue
        for page in sorted((root / "feedback" / name / lesson).glob("*.html")):
            text = page.read_text(encoding="utf-8")
            leaked, runnable = leaked_lines(text, secret), runnable_markup(text)
            if leaked:
                page.unlink()
                run.problems[name] = f"{page.name} showed {len(leaked)} hidden-test line(s); page deleted"
            elif runnable:
                page.unlink()
                run.problems[name] = (
                    f"{page.name} would run the submission's script ({runnable[0]}); page deleted: "
                    "is HTMLExporter.sanitize_html on in nbgrader_config.py?"
                )
            else:
                run.pages.append(page)
    return run
