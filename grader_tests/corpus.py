"""A corpus of good, mangled, broken and adversarial submissions, generated.

Every variant is built by code from the lesson's release notebook and the
reference answers, so it follows the lesson when the lesson changes. Each
``Case`` says what the grader must do with it: the status, the score (or the
twin whose score it must equal) and words the reason must contain.
"""

from __future__ import annotations

import atexit
import copy
import functools
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.cells import nbgrader_meta
from course.context import Course
from course.execution import MAX_RESTARTS
from course.grade import GradeRun, grade
from course.selftest import auto_points, scratch_course
from course.submissions import fill, reference_answers

LESSON = "00_warmup"
NOTEBOOK = f"{LESSON}.ipynb"
ANSWER = "mse_rmse"
# Short, so the infinite loop costs seconds; the reference needs milliseconds,
# but importing NumPy and matplotlib in the setup cell took over 5 s on a
# machine running eight gradings on two cores, and the notebook was rejected.
CELL_TIMEOUT = 15


# Cells an honest learner writes, full of words the grader's files share
# ("source", "release", "../", "nbgrader"): none of them may cost a point.
HONEST_CELLS = {
    "source_target_words": 'print("source/target split: 80/20, then release/holdout")',
    "savefig_up_one_level": (
        "fig, ax = plt.subplots()\nax.plot([1, 2], [3, 4])\n"
        'try:\n    fig.savefig("../figures/loss.png")\nexcept OSError:\n    pass'
    ),
    "plt_savefig_plots": (
        'plt.plot([0, 1], [1, 0])\ntry:\n    plt.savefig("../plots/a.png")\nexcept OSError:\n    pass\nplt.close("all")'
    ),
    "validate_button_comment": "# Before handing in, press nbgrader's Validate button.\nchecked = True",
    "validate_button_string": 'reminder = "Press the Validate button (nbgrader) before you submit."',
    "variable_named_submitted": 'submitted = True\nif submitted:\n    print("submitted/ready to go")',
    "docstring_naming_files": (
        'def describe():\n    """Reads nothing from ../../source/ and never opens gradebook.db."""\n    return "ok"'
    ),
    "f_string_autograded": 'n_cells = 3\nprint(f"autograded cells: {n_cells} of {n_cells}, submitted/{n_cells}")',
    "print_autograded": 'print("The autograded tests are hidden; my release notes are below.")',
    "data_source_csv": (
        'import pandas as pd\ntry:\n    table = pd.read_csv("data/source/x.csv")\n'
        "except FileNotFoundError:\n    table = None"
    ),
    "markdown_in_a_string": (
        'summary = """## Results\n- source: synthetic data\n- plots: ../figures/\n- release notes: none"""'
    ),
    "dictionary_of_roles": 'roles = {"source": "train.csv", "target": "test.csv", "release": "v1"}',
    "pathlib_without_reading": 'from pathlib import Path\nout = Path("results") / "source" / "run1.txt"',
    "windows_path": 'try:\n    plt.savefig("..\\\\figures\\\\x.png")\nexcept OSError:\n    pass',
    "sentence_naming_nbgrader": 'label = "nbgrader autograded my submitted notebook and the gradebook agreed"',
    "honest_eq": "class Vector:\n    def __init__(self, v):\n        self.v = v\n\n    def __eq__(self, other):\n"
    "        return bool(np.allclose(self.v, other.v))",
    "literal_getattr": 'mean_of = getattr(np, "mean")\nvalue = mean_of(np.ones(3))',
    "own_numpy_testing": (
        "from numpy.testing import assert_allclose\nassert_allclose(mse_rmse([1.0, 2.0], [1.0, 2.0]), (0.0, 0.0))"
    ),
    "writes_own_notes": 'with open("my_notes.txt", "w") as handle:\n    handle.write("gradebook: 10/10 in my head")',
    "pandas_options": "import pandas as pd\npd.options.display.max_rows = 20",
}

# Code that fakes a pass or reaches for the grader, and how strongly the scan
# must react: "strong" withholds points, "weak" is a note for the instructor.
CHEAT_CELLS = {
    "patches_np_isclose": ("np.isclose = lambda *args, **kwargs: True", "strong"),
    "patches_math": ("import math\nmath.isclose = lambda *args, **kwargs: True", "strong"),
    "setattr_numpy": ('setattr(np, "allclose", lambda *args, **kwargs: True)', "strong"),
    "patches_numpy_alias": ("import numpy as xp\nxp.testing.assert_allclose = print", "strong"),
    "patches_builtins": ("import builtins\nbuiltins.abs = lambda x: 0", "strong"),
    "rebinds_dunder_builtins": ('__builtins__ = dict(vars(__import__("builtins")), len=lambda x: 0)', "strong"),
    "builtins_via_globals": ('globals()["__builtins__"] = {}', "strong"),
    "mock_patch": ('from unittest import mock\nmock.patch("numpy.isclose", return_value=True).start()', "strong"),
    "settrace": ("import sys\nsys.settrace(lambda *args: None)", "strong"),
    "setprofile": ("from sys import setprofile\nsetprofile(lambda *args: None)", "strong"),
    "sys_modules": (
        'import sys, types\nsys.modules["numpy.testing"] = types.SimpleNamespace(assert_allclose=print)',
        "strong",
    ),
    "sys_modules_update": ("import sys\nsys.modules.update(math=None)", "strong"),
    "ipython_event": ('get_ipython().events.register("post_run_cell", lambda result: None)', "strong"),
    "ipython_custom_exc": ("get_ipython().set_custom_exc((AssertionError,), lambda *args, **kwargs: None)", "strong"),
    "ast_transformer": (
        "import ast\nclass Strip(ast.NodeTransformer):\n    pass\n"
        "shell = get_ipython()\nshell.ast_transformers.append(Strip())",
        "strong",
    ),
    "input_transformer": ("get_ipython().input_transformers_post.append(lambda lines: [])", "strong"),
    "meta_path": ("import sys\nclass Finder:\n    pass\nsys.meta_path.insert(0, Finder())", "strong"),
    "path_hooks": ("import sys\nsys.path_hooks.append(lambda path: None)", "strong"),
    "always_true_eq": ("class Anything:\n    def __eq__(self, other):\n        return True", "strong"),
    "banned_import": ("import sklearn.metrics", "strong"),
    "opens_source": ('text = open("../../source/00_warmup/00_warmup.ipynb").read()', "strong"),
    "sqlite_gradebook": ('import sqlite3\nconnection = sqlite3.connect("../../../gradebook.db")', "strong"),
    "pathlib_read": (
        'from pathlib import Path\nanswers = (Path("../../..") / "source" / "00_warmup" / '
        '"00_warmup.ipynb").read_text()',
        "strong",
    ),
    "shutil_copy": ('import shutil\nshutil.copy("../../../source/00_warmup/00_warmup.ipynb", "mine.ipynb")', "strong"),
    "listdir_release": ('import os\nprint(os.listdir("../../../release"))', "strong"),
    "glob_other_students": ('import glob\nfiles = glob.glob("../../*/00_warmup/*.ipynb")', "strong"),
    "shell_cat": ("!cat ../../../source/00_warmup/00_warmup.ipynb", "strong"),
    "pandas_reads_autograded": (
        'import pandas as pd\nfound = pd.read_json("../../../autograded/bob/00_warmup/x.json")',
        "strong",
    ),
    "path_in_a_variable": ('where = "../../../gradebook.db"\nimport os\nsize = os.path.getsize(where)', "strong"),
    "literal_exec": ('exec("import numpy\\nnumpy.isclose = lambda *a, **k: True")', "strong"),
    "computed_exec": ('code = "np.isclose" + " = lambda *a, **k: True"\nexec(code)', "weak"),
    "computed_getattr": ('name = "is" + "close"\nfound = getattr(np, name)', "weak"),
    "computed_import": ('module = __import__("skl" + "earn")', "weak"),
    "reads_grader_mode": ('import os\nmode = os.environ.get("NBGRADER_EXECUTION")', "weak"),
    "names_gradebook_only": ('target = "../../../gradebook.db"', "weak"),
    "absolute_path_elsewhere": ('rows = open("/srv/course/source/answers.csv").read()', "weak"),
}


@dataclass(frozen=True)
class Case:
    """One submission and what grading it must give."""

    student: str
    content: bytes
    status: str
    twin: str | None = None  # must score exactly what this student scores
    reason: str = ""  # must occur in submissions.csv's message


def _dump(notebook: nbformat.NotebookNode) -> bytes:
    return nbformat.writes(notebook).encode()


def _graded_cells(notebook: nbformat.NotebookNode, kind: str) -> list[int]:
    return [i for i, cell in enumerate(notebook.cells) if nbgrader_meta(cell).get(kind)]


def _with_answer(notebook: nbformat.NotebookNode, extra: str, *, before: str = "") -> nbformat.NotebookNode:
    """The notebook with code added around the answer cell's text."""
    changed = copy.deepcopy(notebook)
    cell = changed.cells[_answer_index(changed)]
    cell.source = before + cell.source + "\n" + extra
    return changed


def _after_answer(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """The notebook with a learner's own cell inserted after the answer cell."""
    changed = copy.deepcopy(notebook)
    changed.cells.insert(_answer_index(changed) + 1, nbformat.v4.new_code_cell(source))
    return changed


def _answer_index(notebook: nbformat.NotebookNode) -> int:
    return next(i for i, cell in enumerate(notebook.cells) if nbgrader_meta(cell).get("grade_id") == ANSWER)


def _killing_cells(notebook: nbformat.NotebookNode, count: int) -> nbformat.NotebookNode:
    """The notebook with ``count`` cells of the learner's own, after the answer, each killing the kernel."""
    for _ in range(count):
        notebook = _after_answer(notebook, "import os\nos._exit(1)")
    return notebook


def _stripped(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """What an editor that drops unknown metadata (and cell ids) hands back."""
    raw = json.loads(nbformat.writes(notebook))
    for cell in raw["cells"]:
        cell["metadata"] = {}
        cell.pop("id", None)
    raw["nbformat_minor"] = 4
    return nbformat.from_dict(raw)


def build_corpus(course: Path) -> list[Case]:
    """Every case, built from ``course``'s release notebook and reference answers."""
    release = nbformat.read(course / "release" / LESSON / NOTEBOOK, as_version=4)
    good = fill(release, NOTEBOOK, reference_answers(course, LESSON))
    tests = _graded_cells(good, "grade")
    code_tests = [i for i in tests if good.cells[i].cell_type == "code"]
    cases = [Case("good", _dump(good), "graded"), Case("stub", _dump(release), "graded")]

    # Mangled notebooks that repair must bring back to their twin's score.
    retyped = copy.deepcopy(good)
    retyped.cells[_answer_index(retyped)].cell_type = "markdown"
    retyped.cells[code_tests[0]].cell_type = "raw"
    for i in (_answer_index(retyped), code_tests[0]):
        for key in ("outputs", "execution_count"):
            retyped.cells[i].pop(key, None)
    duplicated = copy.deepcopy(good)
    first_try = copy.deepcopy(duplicated.cells[_answer_index(duplicated)])
    first_try.source = first_try.source.replace("return", "return None  #", 1)
    first_try.id = "first-try"
    duplicated.cells.insert(_answer_index(duplicated), first_try)
    duplicated.cells.insert(
        code_tests[1] + 1,
        nbformat.v4.new_code_cell(
            good.cells[code_tests[1]].source, metadata=copy.deepcopy(good.cells[code_tests[1]].metadata)
        ),
    )
    deleted = copy.deepcopy(good)
    deleted.cells = [cell for i, cell in enumerate(good.cells) if i not in code_tests[1:]]
    schema = copy.deepcopy(good)
    for i in tests:
        schema.cells[i].metadata.nbgrader.update(schema_version=99, points=1000)
    inserted = _after_answer(good, "scratch = mse_rmse([1.0], [2.0])")
    inserted.cells.insert(0, nbformat.v4.new_markdown_cell("My notes: remember the square root."))
    combined = _stripped(duplicated)
    combined.cells = [cell for cell in combined.cells if cell.source != good.cells[code_tests[0]].source]
    combined.cells[_answer_index(good) + 1].cell_type = "markdown"
    old_format = nbformat.writes(nbformat.convert(copy.deepcopy(good), 3)).encode()  # convert changes its input
    cases += [
        Case("stripped_metadata", _dump(_stripped(good)), "repaired", "good", "restored the nbgrader metadata"),
        Case("stripped_stub", _dump(_stripped(release)), "repaired", "stub", "restored the nbgrader metadata"),
        Case("retyped_cells", _dump(retyped), "repaired", "good", "back from markdown into code"),
        Case("duplicated_cells", _dump(duplicated), "repaired", "good", "appeared 2 times"),
        Case("deleted_tests", _dump(deleted), "repaired", "good", "put back the deleted cell"),
        Case("edited_schema", _dump(schema), "repaired", "good", "reset the edited nbgrader metadata"),
        Case("inserted_cells", _dump(inserted), "graded", "good"),
        Case("nbformat3", old_format, "repaired", "good", "upgraded from nbformat 3"),
        Case("everything_at_once", _dump(combined), "repaired", "good", "restored the nbgrader metadata"),
    ]

    # Files that cannot be understood: rejected, each with its reason.
    unrelated = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x{i} = {i}") for i in range(8)])
    cases += [
        Case("empty_file", b"", "rejected", reason="is empty"),
        Case("truncated_json", _dump(good)[:500], "rejected", reason="not valid JSON"),
        Case("not_a_notebook", b'{"name": "my homework", "answer": 42}', "rejected", reason="not a Jupyter notebook"),
        Case("binary_file", bytes(range(256)) * 4, "rejected", reason="not a text file"),
        Case("no_cells", _dump(nbformat.v4.new_notebook()), "rejected", reason="without cells"),
        Case("other_lesson", _dump(unrelated), "rejected", reason="another lesson"),
    ]

    # Code that fakes a pass or reaches for the grader: flagged, points withheld.
    cases += [
        # Never called: importing scikit-learn for real takes longer than CELL_TIMEOUT on a busy machine.
        Case(
            "imports_sklearn",
            _dump(_with_answer(good, "def _compare():\n    import sklearn.metrics")),
            "flagged",
            reason="imports sklearn",
        ),
        Case(
            "patches_numpy",
            _dump(_with_answer(good, "np.isclose = lambda *args, **kwargs: True")),
            "flagged",
            reason="changes np.isclose",
        ),
        Case(
            "always_equal",
            _dump(_with_answer(good, "class Anything:\n    def __eq__(self, other):\n        return True")),
            "flagged",
            reason="__eq__ that is always true",
        ),
        Case(
            "reads_gradebook",
            _dump(_with_answer(good, "import os\nleak = os.path.exists('../../../gradebook.db')")),
            "flagged",
            reason="grader's files",
        ),
        Case(
            "swallows_errors",
            _dump(_after_answer(release, CHEAT_CELLS["ipython_custom_exc"][0])),
            "flagged",
            "stub",
            "set_custom_exc",
        ),
    ]

    # Honest words, a weak finding and edited locked cells: reported, never charged.
    honest = copy.deepcopy(good)
    for source in reversed(HONEST_CELLS.values()):
        honest = _after_answer(honest, source)
    edited_test = copy.deepcopy(good)
    edited_test.cells[code_tests[0]].source = "pass  # this check is too strict"
    setup = _graded_cells(release, "locked")[0]
    patched_setup = copy.deepcopy(release)
    patched_setup.cells[setup].source += "\nnp.isclose = lambda *args, **kwargs: True"
    reformatted = copy.deepcopy(good)
    for i in _graded_cells(reformatted, "locked"):
        reformatted.cells[i].source = "\n" + reformatted.cells[i].source.replace("\n", "  \n") + "\n\n"
    cases += [
        Case("honest_words", _dump(honest), "graded", "good"),
        Case(
            "computed_exec",
            _dump(_after_answer(good, 'code = "unused" + " = 1"\nexec(code)')),
            "graded",
            "good",
            "note for the instructor: cell",
        ),
        Case(
            "edited_test_cell",
            _dump(edited_test),
            "graded",
            "good",
            f"locked cell {nbgrader_meta(good.cells[code_tests[0]])['grade_id']} was edited; "
            "nbgrader graded the instructor's version",
        ),
        Case(
            "cheat_in_setup",
            _dump(patched_setup),
            "graded",
            "stub",
            f"locked cell {nbgrader_meta(release.cells[setup])['grade_id']} was edited",
        ),
        Case("reformatted_locked_cells", _dump(reformatted), "graded", "good"),
    ]

    # Runaway code: costs the affected cells only, never the batch.
    loop = "import time\n_real = mse_rmse\ndef mse_rmse(y_true, y_pred):\n    while True:\n        time.sleep(0.05)"
    cases += [
        Case("infinite_loop", _dump(_with_answer(good, loop)), "graded", "stub", "time limit"),
        Case("memory_bomb", _dump(_with_answer(good, "hog = bytearray(4 * 2**30)")), "graded", "good", "out of memory"),
        Case("calls_sys_exit", _dump(_with_answer(good, "import sys\nsys.exit(3)")), "graded", "good", "sys.exit"),
        Case(
            "huge_print",
            _dump(_with_answer(good, "for i in range(20000):\n    print('spam', i)")),
            "graded",
            "good",
            "output",
        ),
        Case(
            "kills_kernel", _dump(_after_answer(good, "import os\nos._exit(1)")), "graded", "good", "killed the kernel"
        ),
        Case(
            "floods_output",
            _dump(_with_answer(good, "for _ in range(8):\n    print('x' * 2**20)")),
            "graded",
            "good",
            f"{ANSWER} printed more output than the grader keeps",
        ),
        Case(
            "kills_kernel_repeatedly",
            _dump(_killing_cells(good, MAX_RESTARTS + 1)),
            "graded",
            "stub",
            f"the kernel died {MAX_RESTARTS + 1} times; cells after",
        ),
        Case(
            "where_am_i",
            _dump(_with_answer(good, "import os\nprint('working directory:', os.getcwd())")),
            "graded",
            "good",
        ),
        Case(
            "harmless_warning",
            _dump(_with_answer(good, "", before="import warnings\nwarnings.warn('just so you know')\n")),
            "graded",
            "good",
        ),
    ]

    # Plots make a file large, not a notebook's answers: grading drops and re-creates them.
    plotted = copy.deepcopy(good)
    picture = nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo" + "A" * (30 * 2**20), "text/plain": "<Figure size 640x480>"}
    )
    plotted.cells[_answer_index(plotted)].outputs = [picture]
    cases.append(Case("large_plots", _dump(plotted), "graded", "good"))
    return cases


@dataclass
class GradedCorpus:
    """The corpus graded in one batch."""

    cases: list[Case]
    run: GradeRun
    handed_in: Path
    before: dict[str, bytes]

    def points(self, student: str) -> float:
        return auto_points(self.run.rows, student)[0]

    @property
    def max_points(self) -> float:
        return auto_points(self.run.rows, "good")[1]

    def outcome(self, student: str):
        return next(outcome for outcome in self.run.outcomes if outcome.student_id == student)


@functools.cache
def graded_corpus() -> GradedCorpus:
    """Build a scratch course, write every case as a flat LMS-style folder, grade it once."""
    from course_under_test import ROOT

    workdir = Path(tempfile.mkdtemp(prefix="grading-corpus-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    course = scratch_course(ROOT, LESSON, workdir)
    with (course / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    cases = build_corpus(course)
    handed_in = workdir / "downloads"
    handed_in.mkdir()
    for number, case in enumerate(cases):
        (handed_in / f"{case.student}_{1000 + number}_{NOTEBOOK}").write_bytes(case.content)
    before = {path.name: path.read_bytes() for path in handed_in.iterdir()}
    run = grade(Course.open(course), LESSON, handed_in)
    return GradedCorpus(cases, run, handed_in, before)
