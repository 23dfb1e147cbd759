"""JupyterLab in a real browser: what a learner and an instructor actually see.

Playwright drives Debian's Chromium (headless) against a JupyterLab, with
nbgrader's extensions, serving a temporary copy of the course on loopback:

* a learner runs the released warm-up with an answer typed in and sees the
  rendered narrative, checks that pass silently and the plot; untouched, the
  visible check names the stub;
* nbgrader's *Validate* button accepts the filled-in notebook and rejects the
  untouched one;
* an instructor opens the formgrader and finds the lesson and a graded
  submission with its score;
* the cohort report and a learner's feedback page, opened from disk as an
  instructor or a learner would, show their tables and plots;
* a mock interview drawn from the drill bank runs, its clarifications folded
  until opened, with its timer's plot; ``hint(...)`` shows one level at a time;
* a submission carrying script in every place a learner writes
  (:mod:`injections`) runs none of it in its feedback page, in the report or
  in the Formgrader, served by a JupyterLab of its own.

Screenshots land in ``test-artifacts/browser/`` for a person (or CI) to look
at. The set-up installs Chromium with apt where it is missing; the tests skip,
saying why, only where no browser can be had or started.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import injections
import nbformat
import pytest
from course_under_test import ROOT
from nbgrader.api import Gradebook
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from scratch import ScratchCourses
from services import apt_install, free_port

from course.cells import nbgrader_meta
from course.cli import main
from course.cohorts import REFERENCE, add_stub, mutant_student
from course.context import Course
from course.drills import load_bank, variant_answers
from course.feedback import generate_feedback
from course.grade import grade
from course.hints import OPENED_FILE
from course.mutants import load_library
from course.report import build_report
from course.submissions import fill, reference_answers, write_submission

LESSON = "00_warmup"
# A learner who fails one test, so the pages have a failure to show.
MISTAKE = next(mutant for mutant in load_library(ROOT)[LESSON] if mutant.name == "no_length_check")
NOTEBOOK = f"{LESSON}.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
# The flags a headless Chromium needs here: as root (no sandbox), without a GPU,
# and without calls home that a closed network refuses by the dozen.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# A generous bound for one notebook run or one nbgrader validation, in ms;
# the warm-up runs in a few seconds.
SLOW = 90_000
# True once the visible notebook's n code cells all show an execution count.
ALL_PROMPTS_NUMBERED = (
    "n => { const p = [...document.querySelectorAll("
    "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')].map(e => e.innerText);"
    " return p.length === n && p.every(t => /\\[\\d+\\]/.test(t)); }"
)


def chromium_executable() -> str:
    """Debian's Chromium, installed with apt when it is missing and we may.

    Calls :func:`pytest.skip` with the reason when no browser can be had; set
    ``COURSE_CHROMIUM`` to use another Chromium build.
    """
    wanted = os.environ.get("COURSE_CHROMIUM", CHROMIUM)
    if Path(wanted).is_file():
        return wanted
    if wanted != CHROMIUM:
        pytest.skip(f"COURSE_CHROMIUM={wanted} does not exist")
    apt_install("chromium", Path(CHROMIUM).is_file)
    return CHROMIUM


@dataclass
class Lab:
    """A running JupyterLab on a temporary course, and what it serves."""

    url: str
    token: str
    course: Path
    solved: str  # paths relative to the server's root
    untouched: str
    score_text: str  # the reference submission's total as the formgrader prints it
    status_text: str  # and its grading status

    def address(self, path: str, query: str = "") -> str:
        return f"{self.url}{path}?{query}token={self.token}"

    def api(self, path: str, method: str = "GET") -> list | dict | None:
        request = urllib.request.Request(self.address(path), method=method)
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernel_ready(self, path: str) -> bool:
        """Whether the notebook at ``path`` has a kernel that is idle and connected to the page."""
        for session in self.api("/api/sessions"):
            if session["path"] == path:
                kernel = self.api(f"/api/kernels/{session['kernel']['id']}")
                return kernel["connections"] > 0 and kernel["execution_state"] == "idle"
        return False

    def close_sessions(self) -> None:
        """Shut every notebook's kernel down, so each test starts as a fresh learner would."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


def lab_settings(settings: Path) -> None:
    """User settings that make the page deterministic for a test.

    Every cell stays in the page (no virtual scrolling, so the plot far down is
    there to find), and JupyterLab does not ask about news from the internet.
    """
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')


# Session scope: under xdist a worker may run other modules between these tests,
# and a module-scoped server would be torn down and started again each time.
@pytest.fixture(scope="session")
def lab(scratch_courses: ScratchCourses) -> Iterator[Lab]:
    """A built course with one graded submission, served by JupyterLab on loopback."""
    scratch = scratch_courses(LESSON, "browser")
    work, course = scratch.work, scratch.root
    cohort = work / "handed_in"
    answers = reference_answers(course, LESSON)
    write_submission(course, LESSON, answers, cohort / REFERENCE / LESSON)
    write_submission(course, LESSON, MISTAKE.apply(LESSON, answers), cohort / mutant_student(MISTAKE) / LESSON)
    run = grade(Course.open(course), LESSON, cohort)
    mine = [row for row in run.rows if row.student_id == REFERENCE]
    score_text = f"{sum(row.score or 0.0 for row in mine):g} / {sum(row.max_score for row in mine):g}"
    # Written answers wait for a person, so nbgrader calls such a submission unfinished.
    status_text = "needs manual grading" if any(row.score is None for row in mine) else "graded"

    # The learner's working copies: the released notebook as handed out, and
    # the same notebook with the reference answers typed into its cells.
    learner = course / "learner"
    add_stub(course, LESSON, learner, student="untouched")
    (learner / "solved").mkdir()
    released = nbformat.read(course / "release" / LESSON / NOTEBOOK, as_version=4)
    nbformat.write(fill(released, NOTEBOOK, answers), learner / "solved" / NOTEBOOK)

    with jupyter_lab(course, work) as (url, token):
        yield Lab(
            url,
            token,
            course,
            f"learner/solved/{NOTEBOOK}",
            f"learner/untouched/{LESSON}/{NOTEBOOK}",
            score_text,
            status_text,
        )


@contextmanager
def jupyter_lab(course: Path, work: Path) -> Iterator[tuple[str, str]]:
    """JupyterLab with nbgrader's extensions serving ``course`` on loopback: its address and token.

    Its settings, runtime files and log (``jupyter.log``) go under ``work``.
    """
    home = work / "jupyter"
    lab_settings(home / "settings")
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    log = (work / "jupyter.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={course}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        cwd=course,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"JupyterLab did not start:\n{(work / 'jupyter.log').read_text()[-3000:]}"
                    ) from None
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as error:
            pytest.skip(f"the browser {executable} cannot start here: {str(error).splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, lab: Lab, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    # The last screen of every test, passed or failed, for a person to look at.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}-last.png")
    context.close()
    lab.close_sessions()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def notebook(page: Page) -> Locator:
    """The notebook panel on screen (JupyterLab keeps other tabs in the page, hidden)."""
    return page.locator(".jp-NotebookPanel:visible")


def open_notebook(page: Page, lab: Lab, path: str) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is connected and idle.

    The notebook toolbar says "idle" before any kernel is attached, and
    JupyterLab may replace the first kernel it starts; cells run before the
    websocket is up are silently dropped. So wait for the server to report the
    kernel connected, then for the status bar to say so.
    """
    # ?reset: a fresh workspace, not the tabs an earlier test left open.
    page.goto(lab.address(f"/lab/tree/{path}", "reset&"))
    expect(notebook(page).locator(".jp-Cell").first).to_be_visible(timeout=SLOW)
    deadline = time.monotonic() + SLOW / 1000
    while not lab.kernel_ready(path):
        # JupyterLab sometimes asks which kernel to start; a learner keeps the preferred one.
        choose = page.locator(".jp-Dialog", has_text="Select Kernel").locator(".jp-Dialog-button.jp-mod-accept")
        if choose.count():
            choose.click()
        assert time.monotonic() < deadline, f"no kernel connected for {path}: {lab.api('/api/sessions')}"
        time.sleep(0.25)
    expect(page.locator(".jp-StatusBar-Widget").get_by_text("| Idle")).to_be_visible(timeout=SLOW)


def run_all(page: Page) -> None:
    """Run → Run All Cells, from the menu bar as a learner would.

    The learner clicks into the notebook first: JupyterLab runs the commands
    of its menus on the notebook that has the focus, and a freshly opened page
    may still have it on the file browser.
    """
    notebook(page).locator(".jp-Cell").first.click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()


def prompts(page: Page) -> list[str]:
    return [text.strip() for text in notebook(page).locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()]


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def test_learner_sees_the_narrative_the_checks_and_the_plot(page: Page, lab: Lab) -> None:
    open_notebook(page, lab, lab.solved)
    cells = code_cells(lab.course / lab.solved)
    run_all(page)
    # Every code cell ran: each prompt carries an execution count.
    page.wait_for_function(
        ALL_PROMPTS_NUMBERED,
        arg=len(cells),
        timeout=SLOW,
    )

    # The narrative is rendered: the lesson's title as a heading, the formulas typeset.
    title = (
        next(
            cell.source
            for cell in nbformat.read(lab.course / lab.solved, as_version=4).cells
            if cell.cell_type == "markdown"
        )
        .splitlines()[0]
        .lstrip("# ")
        .strip()
    )
    expect(notebook(page).locator(".jp-RenderedMarkdown h1").first).to_contain_text(title)
    expect(notebook(page).locator(".jp-RenderedMarkdown table").first).to_be_visible()
    assert notebook(page).locator(".jp-RenderedMarkdown mjx-container").count() > 0, (
        "the LaTeX formulas were not typeset"
    )

    # The visible checks pass silently: no traceback anywhere in the notebook.
    errors = notebook(page).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"a cell failed in the browser: {errors.all_inner_texts()[:1]}"

    # The plot is an image the browser decoded, in the output of the cell that draws it.
    plotting = [i for i, cell in enumerate(cells) if "plt." in cell.source and "import" not in cell.source]
    assert plotting, "the warm-up should draw a plot"
    image = notebook(page).locator(".jp-CodeCell").nth(plotting[0]).locator(".jp-RenderedImage img")
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
    assert width > 100, "the plot did not render as an image"
    shoot(page, "learner-plot")


def test_untouched_notebook_shows_the_stub_in_the_visible_check(page: Page, lab: Lab) -> None:
    open_notebook(page, lab, lab.untouched)
    cells = code_cells(lab.course / lab.untouched)
    first_check = next(i for i, cell in enumerate(cells) if nbgrader_meta(cell).get("grade"))
    run_all(page)
    check = notebook(page).locator(".jp-CodeCell").nth(first_check)
    expect(check.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")).to_contain_text(
        "NotImplementedError", timeout=SLOW
    )
    check.scroll_into_view_if_needed()
    shoot(page, "learner-untouched-check")


@pytest.mark.parametrize("which, verdict", [("solved", "validation-success"), ("untouched", "validation-failed")])
def test_validate_button_answers(page: Page, lab: Lab, which: str, verdict: str) -> None:
    open_notebook(page, lab, lab.solved if which == "solved" else lab.untouched)
    notebook(page).locator(".validate-button").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator(".jp-Dialog-header")).to_contain_text("Validation Results", timeout=SLOW)
    body = dialog.locator(f".{verdict}")
    expect(body).to_be_visible()
    if which == "solved":
        expect(body).to_contain_text("Success! Your notebook passes all the tests.")
    else:
        expect(body).to_contain_text("The following cell failed")
        expect(body).to_contain_text("NotImplementedError")
    shoot(page, f"validate-{which}")
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()


def test_instructor_sees_the_lesson_and_a_graded_submission(page: Page, lab: Lab) -> None:
    page.goto(lab.address("/formgrader"))
    assignments = page.locator("#main-table")
    expect(assignments).to_contain_text(LESSON)
    shoot(page, "formgrader-assignments")

    page.goto(lab.address(f"/formgrader/manage_submissions/{LESSON}"))
    row = page.locator("#main-table tr", has_text=REFERENCE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(lab.status_text)
    expect(row.locator(".score")).to_have_text(lab.score_text)
    shoot(page, "formgrader-submissions")


def local_images(page: Page) -> dict[str, int]:
    """Each image of the page by its address, with the width the browser decoded (0: not loaded)."""
    page.wait_for_load_state("load")
    return page.eval_on_selector_all("img", "imgs => Object.fromEntries(imgs.map(i => [i.src, i.naturalWidth]))")


def test_report_and_feedback_open_in_a_browser(page: Page, lab: Lab) -> None:
    """The instructor's report and a learner's feedback, opened from disk (file://) as they would be."""
    report = build_report(Course.open(lab.course), LESSON)
    feedback = generate_feedback(Course.open(lab.course), LESSON, mutant_student(MISTAKE))
    assert not feedback.problems

    page.goto(report.html.as_uri())
    expect(page.locator("tr[data-student]")).to_have_count(2)
    expect(page.locator(f'tr[data-student="{mutant_student(MISTAKE)}"]')).to_be_visible()
    images = local_images(page)
    assert len(images) == len(report.plots) and all(width > 100 for width in images.values()), images
    shoot(page, "report")

    page.goto((lab.course / "feedback" / mutant_student(MISTAKE) / LESSON / f"{LESSON}.html").as_uri())
    expect(page.locator("tr[data-grade-id]").first).to_be_visible()
    # Each row as displayed: grade id, category, points, result, message.
    rows = page.eval_on_selector_all(
        "tr[data-grade-id]", "rows => rows.map(r => [...r.querySelectorAll('td')].map(c => c.innerText.trim()))"
    )
    failed = [row for row in rows if row[3] == "fail"]
    # The mistake skips the length check: one edge-case test fails, with its message shown.
    assert len(failed) == 1 and failed[0][0].startswith("edge_cases") and failed[0][4], rows
    assert any(row[3] == "pass" for row in rows), rows
    assert "HIDDEN TESTS" not in page.content()
    shoot(page, "feedback")


@pytest.fixture(scope="session")
def hostile_lab() -> Iterator[tuple[injections.HostileCourse, str, str]]:
    """The course that graded the hostile cohort (:mod:`injections`), served by its own JupyterLab."""
    hostile = injections.hostile_course()
    with jupyter_lab(hostile.root, hostile.root.parent) as (url, token):
        yield hostile, url, token


def payloads_that_ran(page: Page) -> list[str]:
    """The payloads that ran in the open page (described), its ``javascript:`` links clicked as a reader might."""
    page.wait_for_load_state("load")
    page.eval_on_selector_all("a[href^='javascript:' i]", "links => links.forEach(link => link.click())")
    # Handlers of images that failed to load, of frames and of opened <details> fire after "load".
    page.wait_for_timeout(1000)
    return injections.described(page.evaluate(f"window.{injections.MARKER} || []"))


def test_no_payload_runs_in_the_feedback_page(page: Page) -> None:
    hostile = injections.hostile_course()
    assert hostile.page.is_file(), hostile.feedback.problems
    page.goto(hostile.page.as_uri())
    expect(page.locator("tr[data-grade-id]").first).to_be_visible()
    assert payloads_that_ran(page) == []
    # The learner's own plot still shows.
    plots = [width for source, width in local_images(page).items() if source.startswith("data:image/png")]
    assert plots and all(width > 100 for width in plots), plots
    shoot(page, "hostile-feedback")


def test_no_payload_runs_in_the_report(page: Page) -> None:
    page.goto(injections.hostile_course().report.as_uri())
    expect(page.locator("tr.rejected")).to_have_count(1)
    assert payloads_that_ran(page) == []
    shoot(page, "hostile-report")


def test_no_payload_runs_in_the_formgrader(page: Page, hostile_lab: tuple[injections.HostileCourse, str, str]) -> None:
    """The instructor opens the hostile submission in the Formgrader, on the Jupyter server's own origin."""
    hostile, url, token = hostile_lab
    with Gradebook(Course.open(hostile.root).db_url) as gradebook:
        submission = gradebook.find_submission_notebook(LESSON, LESSON, injections.HOSTILE).id
    page.goto(f"{url}/formgrader/submissions/{submission}/?token={token}")
    expect(page.locator(".nbgrader_cell").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("My notes")
    assert payloads_that_ran(page) == []
    shoot(page, "hostile-formgrader")


def run_all_and_wait(page: Page, lab: Lab, path: str) -> None:
    """Run every cell of the open notebook and wait until each carries an execution count."""
    run_all(page)
    page.wait_for_function(
        ALL_PROMPTS_NUMBERED,
        arg=len(code_cells(lab.course / path)),
        timeout=SLOW,
    )


def test_a_mock_interview_runs_with_its_clarifications_folded_and_its_timer_plot(page: Page, lab: Lab) -> None:
    out = lab.course / "learner" / "mock"
    assert main(["mock", "--seed", "1", "--problems", "3", "--out", str(out)]) == 0
    blank = nbformat.read(out / "mock_seed1.ipynb", as_version=4)
    bank = {drill.slug: drill for drill in load_bank(ROOT)}
    drawn = [bank[slug] for slug in blank.metadata["course_mock"]["drills"]]
    nbformat.write(
        fill(blank, "mock_seed1.ipynb", variant_answers("mock_seed1.ipynb", drawn, {})), out / "solved.ipynb"
    )
    path = "learner/mock/solved.ipynb"
    open_notebook(page, lab, path)

    # The interviewer's answers are folded until the learner opens them.
    details = notebook(page).locator(".jp-RenderedMarkdown details")
    expect(details).to_have_count(len(drawn))
    assert details.evaluate_all("all => all.filter(d => d.open).length") == 0
    details.first.locator("summary").click()
    assert details.first.evaluate("d => d.open")

    run_all_and_wait(page, lab, path)
    errors = notebook(page).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, f"a cell failed in the browser: {errors.all_inner_texts()[:1]}"
    expect(notebook(page).get_by_text("[timer]").first).to_be_visible()
    # The last cell plots where the time went; every drill draws its own plot too.
    images = notebook(page).locator(".jp-RenderedImage img")
    assert images.count() >= len(drawn) + 1, "each drill and the timer should draw a plot"
    images.last.scroll_into_view_if_needed()
    assert images.last.evaluate("img => img.complete ? img.naturalWidth : 0") > 100
    shoot(page, "mock-interview")


def test_a_hint_opens_one_level_at_a_time_in_the_notebook(page: Page, lab: Lab) -> None:
    solved = nbformat.read(lab.course / lab.solved, as_version=4)
    solved.cells += [nbformat.v4.new_code_cell('hint("mse_rmse")'), nbformat.v4.new_code_cell('hint("mse_rmse")')]
    path = "learner/solved/with_hints.ipynb"
    nbformat.write(solved, lab.course / path)
    open_notebook(page, lab, path)
    run_all_and_wait(page, lab, path)
    # The hints cell prints plain text, so that it needs nothing beyond the standard library.
    shown = notebook(page).locator(".jp-OutputArea-output", has_text="for mse_rmse:")
    expect(shown).to_have_count(2)
    assert shown.nth(0).inner_text().startswith("Hint 1 of") and shown.nth(1).inner_text().startswith("Hint 2 of")
    opened = json.loads((lab.course / "learner" / "solved" / OPENED_FILE).read_text())
    assert opened == {LESSON: {"mse_rmse": 2}}
    shoot(page, "hints")
