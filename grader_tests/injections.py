"""Submissions that try to run script in the instructor's or the learner's browser, generated.

A learner controls far more of a graded notebook than its code: the markdown
of their own cells and of the written answers, the outputs their code
displays (HTML, Markdown, SVG, JavaScript), a markdown cell's attachments,
the name of an exception their code raises (it becomes the failure message)
and the name of the file they hand in. Each :class:`Injection` puts one
payload in one of those places. Every payload records its own name in
``window.__pwned`` when it runs, so a test that opens a page in a browser can
say which ones ran; :func:`runnable` lists, from the HTML alone, whatever in
a page a browser could run. :func:`hostile_course` grades the hostile cohort
once per session and builds its feedback page and the cohort report.

As in :mod:`corpus`, everything is built by code from the lesson's release
notebook and the reference answers, so it follows the lesson when it changes.
"""

from __future__ import annotations

import atexit
import base64
import copy
import functools
import re
import shutil
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from course.cells import nbgrader_meta
from course.context import Course
from course.feedback import FeedbackRun, generate_feedback
from course.grade import GradeRun, grade
from course.report import build_report
from course.selftest import scratch_course
from course.submissions import fill, reference_answers

LESSON = "00_warmup"
NOTEBOOK = f"{LESSON}.ipynb"
ANSWER = "mse_rmse"
WRITTEN_ANSWER = "understanding-follow_ups"
# The student who hands in every payload at once, and the file name that is one.
HOSTILE = "hostile"
# The global a payload appends its name to when it runs.
MARKER = "__pwned"


def payload(name: str, window: str = "window") -> str:
    """JavaScript that records ``name`` in ``window.__pwned``: no slash, no double quote.

    ``window`` names the page's window from where the payload runs (``parent``
    inside a frame).
    """
    return f"{window}.{MARKER}=({window}.{MARKER}||[]).concat('{name}')"


@dataclass(frozen=True)
class Injection:
    """One payload and where the learner puts it."""

    name: str
    where: str


INJECTIONS = [
    Injection("markdown_script", "a <script> element in the learner's own markdown cell"),
    Injection("markdown_onerror", "an <img onerror> in the learner's own markdown cell"),
    Injection("markdown_link", "a javascript: link in the learner's own markdown cell"),
    Injection("answer_svg", "an <svg onload> in a written answer (a markdown answer cell)"),
    Injection("answer_details", "a <details ontoggle> in a written answer"),
    Injection("answer_iframe", "an <iframe srcdoc> with a script in a written answer"),
    Injection("html_output", "display(HTML(...)) of an <img onerror>"),
    Injection("html_output_script", "display(HTML(...)) of a <script> element"),
    Injection("markdown_output", "a text/markdown output holding an <img onerror>"),
    Injection("svg_output", "an image/svg+xml output with onload and a <script>"),
    Injection("javascript_output", "an application/javascript output"),
    Injection("attachment_svg", "a markdown cell's SVG attachment with onload and a <script>"),
    Injection("attachment_html", "a markdown cell's attachment declared as text/html"),
    Injection("exception_name", "the class name of an exception the learner's code raises (a failure message)"),
    Injection("file_name", "the name of the file handed in (a rejected submission's id and reason)"),
]


def described(names: list[str]) -> list[str]:
    """Each payload name with where the learner put it, for a failing test's message."""
    where = {injection.name: injection.where for injection in INJECTIONS}
    return [f"{name}: {where.get(name, 'not a payload of this module')}" for name in names]


def _img(name: str) -> str:
    return f'<img src="x" onerror="{payload(name)}">'


def _svg(name: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" onload="{payload(name)}">'
        f'<script>{payload(name)}</script><rect width="20" height="20"/></svg>'
    )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Code the learner runs before the first test cell (the feedback keeps the
# outputs of those cells): a plot, which the feedback must still show, and
# every kind of rich output.
_OUTPUT_CELL = f"""from IPython.display import HTML, display
import matplotlib.pyplot as plt
plt.figure(figsize=(3, 2))
plt.plot([0, 1, 2], [0, 1, 4])
plt.title("my own check")
plt.show()
display(HTML({_img("html_output")!r}))
display(HTML({f"<script>{payload('html_output_script')}</script>"!r}))
display({{"text/markdown": {_img("markdown_output")!r}}}, raw=True)
display({{"image/svg+xml": {_svg("svg_output")!r}}}, raw=True)
display({{"application/javascript": {payload("javascript_output")!r}}}, raw=True)
"""

_MARKDOWN_CELL = f"""## My notes

Working **through** the contract: $\\mathrm{{MSE}} = \\frac{{1}}{{n}}\\sum_i (y_i - \\hat y_i)^2$, and $0 \\le a < b$.

<script>{payload("markdown_script")}</script>
{_img("markdown_onerror")}

[my notes](javascript:{payload("markdown_link")})

![diagram](attachment:diagram.svg) ![page](attachment:page.html)
"""

_WRITTEN_ANSWER = f"""The mean squared error punishes *large* errors more than small ones.

<svg onload="{payload("answer_svg")}"></svg>
<details open ontoggle="{payload("answer_details")}"><summary>more</summary>detail</details>
<iframe srcdoc="&lt;script&gt;{payload("answer_iframe", "parent")}&lt;/script&gt;"></iframe>
"""

# An exception whose class name is markup: raised inside mse_rmse on the empty
# input the edge-case test passes, it becomes that test's failure message.
_EXCEPTION = f"""    if len(y_true) == 0:
        raise type({_img("exception_name")!r}, (Exception,), {{}})()
"""


def hostile_notebook(course: Path) -> nbformat.NotebookNode:
    """The lesson's notebook, correctly answered, with every payload but the file name in it."""
    release = nbformat.read(course / "release" / LESSON / NOTEBOOK, as_version=4)
    answers = reference_answers(course, LESSON)
    notebook = copy.deepcopy(fill(release, NOTEBOOK, answers))
    cells = notebook.cells
    answer = next(i for i, cell in enumerate(cells) if nbgrader_meta(cell).get("grade_id") == ANSWER)
    body = cells[answer].source.split('"""', 2)  # the docstring, then the code: raise before the code
    cells[answer].source = body[0] + '"""' + body[1] + '"""\n' + _EXCEPTION + body[2].lstrip("\n")
    written = next(cell for cell in cells if nbgrader_meta(cell).get("grade_id") == WRITTEN_ANSWER)
    written.source = _WRITTEN_ANSWER
    notes = nbformat.v4.new_markdown_cell(_MARKDOWN_CELL)
    notes.attachments = {
        "diagram.svg": {"image/svg+xml": _b64(_svg("attachment_svg"))},
        "page.html": {"text/html": _b64(f"<script>{payload('attachment_html')}</script>")},
    }
    cells[answer + 1 : answer + 1] = [nbformat.v4.new_code_cell(_OUTPUT_CELL), notes]
    return notebook


def hostile_file_name() -> str:
    """A submission file whose name is markup; intake rejects it and the report names it."""
    return f"{_img('file_name')}.ipynb"


def write_hostile_cohort(course: Path, folder: Path) -> None:
    """Hand in the hostile notebook as student ``hostile``, and one more file under a hostile name."""
    (folder / HOSTILE / LESSON).mkdir(parents=True)
    nbformat.write(hostile_notebook(course), folder / HOSTILE / LESSON / NOTEBOOK)
    nbformat.write(nbformat.v4.new_notebook(), folder / hostile_file_name())


# Elements that run or embed another document whatever their attributes say.
EMBEDDING = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
# Attributes whose value a browser follows as an address (or, srcdoc, renders as a page).
ADDRESSES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"})
SCRIPT_ADDRESS = re.compile(
    r"^(?:javascript|vbscript|data:text/html|data:application/(?:x?html|javascript))", re.IGNORECASE
)
# What browsers ignore inside a scheme name: a tab or a newline in "javascript:" still runs.
IGNORED_IN_ADDRESS = re.compile(r"[\x00-\x20]")


class _ScriptFinder(HTMLParser):
    """Everything in a page that a browser could run: see :func:`runnable`."""

    def __init__(self, in_body: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.in_body = in_body
        self.script: list[str] | None = None
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_body = self.in_body or tag == "body"
        if tag == "script" and self.in_body:
            self.script = [f"<script {attrs}>"]
        if tag in EMBEDDING:
            self.found.append(f"<{tag} {attrs}>")
        if tag == "meta" and any(name == "http-equiv" and (value or "").lower() == "refresh" for name, value in attrs):
            self.found.append(f"<meta {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name in ADDRESSES and SCRIPT_ADDRESS.match(IGNORED_IN_ADDRESS.sub("", value or "")):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name == "srcdoc":
                self.found.append(f"<{tag} srcdoc={value!r}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.found.append("".join(self.script) + "</script>")
            self.script = None


def runnable(page: str) -> list[str]:
    """What in ``page`` a browser could run: a script element in the body, an
    event handler attribute (``on...``), a ``javascript:`` or HTML ``data:``
    address, an inline frame's document, an embedded object or frame, a
    ``<base>`` or a refresh. A page's own scripts sit in its head; a fragment
    without ``<body>`` is all body."""
    finder = _ScriptFinder(in_body="<body" not in page)
    finder.feed(page)
    finder.close()
    return finder.found


def notebook_part(page: str) -> str:
    """The notebook in a page of nbgrader's (its feedback or its Formgrader), without
    the navigation and buttons nbgrader's template puts around it."""
    start = page.index('id="notebook-container"')
    return page[page.index(">", start) + 1 :]


@dataclass
class HostileCourse:
    """A course that graded the hostile cohort and built its pages."""

    root: Path
    run: GradeRun
    feedback: FeedbackRun
    report: Path

    @property
    def page(self) -> Path:
        """Where the hostile learner's feedback page is (absent if the guard deleted it)."""
        return self.root / "feedback" / HOSTILE / LESSON / f"{LESSON}.html"


@functools.cache
def hostile_course() -> HostileCourse:
    """Build a scratch course, grade the hostile cohort, write its feedback and the report (once)."""
    from course_under_test import ROOT

    workdir = Path(tempfile.mkdtemp(prefix="hostile-course-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    root = scratch_course(ROOT, LESSON, workdir)
    write_hostile_cohort(root, workdir / "handed_in")
    course = Course.open(root)
    run = grade(course, LESSON, workdir / "handed_in")
    return HostileCourse(root, run, generate_feedback(course, LESSON, HOSTILE), build_report(course, LESSON).html)
