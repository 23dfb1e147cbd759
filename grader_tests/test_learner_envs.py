"""Every lesson runs as a notebook in a Colab-like environment, at two version profiles.

A learner opens a released notebook in Colab (or a bare Jupyter) where only
NumPy, pandas, matplotlib and a kernel are installed, and never the course's
own tooling. For each lesson, the released notebooks with the reference
answers typed in run cell by cell with nbclient, in a kernel whose Python is a
clean virtual environment, from a folder outside the repository, at:

* ``pinned``: the versions pinned in ``requirements.txt``;
* ``colab-floor``: older releases close to what Google Colab ships (see
  ``FLOOR`` and the README), so a learner on Colab is not surprised.

Each run must finish without an error, write nothing to stderr (a warning
there would also zero a test cell under nbgrader) and draw at least one plot.
"""

from __future__ import annotations

import os
import subprocess
import venv
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from course_under_test import LESSONS, ROOT
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from course.environment import pins_of_requirements
from course.layout import notebooks
from course.submissions import fill, reference_answers

LEARNER_PACKAGES = ("numpy", "pandas", "matplotlib", "ipykernel", "ipython", "matplotlib-inline")
# The oldest releases we promise to support, close to Google Colab's runtime:
# Colab moved to NumPy 2.0 and pandas 2.2 together; matplotlib 3.8 is the
# oldest release line that supports NumPy 2 on Python 3.11. The kernel's own
# packages stay in step with it, as on Colab: with matplotlib 3.8, IPython 9 or
# matplotlib-inline 0.2 (made for matplotlib 3.9's backend registry) turn an
# explicit ``plt.show()`` into a text-only figure, and the learner sees no plot.
FLOOR = {
    "numpy": "2.0.2",
    "pandas": "2.2.2",
    "matplotlib": "3.8.4",
    "ipykernel": "6.29.5",
    "matplotlib-inline": "0.1.7",
    "ipython": "8.37.0",
}
PROFILES = ("pinned", "colab-floor")
# Packages a learner's environment does not have; a lesson that needs one fails here.
ABSENT = ("nbgrader", "course", "sklearn", "scipy", "pytest")


def profile_versions(profile: str) -> dict[str, str]:
    if profile == "pinned":
        pins = pins_of_requirements(ROOT / "requirements.txt")
        return {package: pins[package] for package in LEARNER_PACKAGES}
    return dict(FLOOR)


def clean_env() -> dict[str, str]:
    """The process environment without anything pointing at the course's own venv."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "MPLBACKEND"))
    }


class LearnerKernel:
    """A Jupyter kernel whose Python is a fresh venv with only the learner's packages."""

    def __init__(self, home: Path, versions: dict[str, str]) -> None:
        self.versions = versions
        venv.create(home, with_pip=True)
        self.python = home / "bin" / "python"
        install = subprocess.run(
            [
                str(self.python),
                "-m",
                "pip",
                "install",
                "-q",
                *(f"{name}=={version}" for name, version in versions.items()),
            ],
            capture_output=True,
            text=True,
            env=clean_env(),
        )
        assert install.returncode == 0, f"cannot install {versions}:\n{install.stderr[-2000:]}"
        # A kernel spec of its own, so nbclient in the course's venv starts this Python.
        subprocess.run(
            [str(self.python), "-m", "ipykernel", "install", "--prefix", str(home), "--name", "learner"],
            check=True,
            capture_output=True,
            env=clean_env(),
        )
        self.kernel_dirs = [str(home / "share" / "jupyter" / "kernels")]

    def run(self, notebook: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
        """Execute ``notebook`` in ``folder`` and return it with its outputs."""
        manager = KernelManager(
            kernel_name="learner", kernel_spec_manager=KernelSpecManager(kernel_dirs=self.kernel_dirs)
        )
        client = NotebookClient(
            notebook, km=manager, timeout=300, kernel_name="learner", resources={"metadata": {"path": str(folder)}}
        )
        client.execute(env={**clean_env(), "HOME": str(folder)})
        return notebook


@pytest.fixture(scope="session")
def learner_kernels(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], LearnerKernel]:
    """Build each profile's environment once per session and worker, whatever the test order."""
    cache: dict[str, LearnerKernel] = {}

    def get(profile: str) -> LearnerKernel:
        if profile not in cache:
            cache[profile] = LearnerKernel(tmp_path_factory.mktemp(f"env-{profile}"), profile_versions(profile))
        return cache[profile]

    return get


@pytest.fixture(params=PROFILES)
def kernel(request: pytest.FixtureRequest, learner_kernels: Callable[[str], LearnerKernel]) -> LearnerKernel:
    return learner_kernels(request.param)


def probe(kernel: LearnerKernel, folder: Path, code: str) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    kernel.run(notebook, folder)
    return "".join(output.get("text", "") for output in notebook.cells[0].outputs)


def test_the_kernel_holds_only_the_learner_packages(kernel: LearnerKernel, tmp_path: Path) -> None:
    """Guard for the tests below: the kernel is the clean venv, at the profile's versions."""
    shown = probe(
        kernel,
        tmp_path,
        "import importlib.metadata as m, importlib.util\n"
        f"print(*[m.version(n) for n in {LEARNER_PACKAGES!r}])\n"
        f"print(*[n for n in {ABSENT!r} if importlib.util.find_spec(n)])",
    )
    versions, leaked = (shown.splitlines() + [""])[:2]
    assert versions.split() == [kernel.versions[name] for name in LEARNER_PACKAGES]
    assert leaked == "", f"the learner's kernel can import {leaked}: it is not a clean environment"


@pytest.mark.parametrize("lesson", LESSONS)
def test_solved_lesson_runs_in_a_learner_kernel(lesson: str, kernel: LearnerKernel, tmp_path: Path) -> None:
    released = notebooks(ROOT, "release", lesson)
    if not released:
        pytest.skip(f"{lesson} has no release/ notebook yet (run `python -m course build {lesson}`)")
    answers = reference_answers(ROOT, lesson)
    for path in released:
        notebook = fill(nbformat.read(path, as_version=4), path.name, answers)
        # A learner's copy: on its own, far from the repository.
        nbformat.write(notebook, tmp_path / path.name)
        try:
            kernel.run(notebook, tmp_path)
        except CellExecutionError as error:
            pytest.fail(f"{path.name} failed with {kernel.versions}:\n{str(error)[-3000:]}")
        stderr = [
            (index, output.text)
            for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code"
            for output in cell.outputs
            if output.output_type == "stream" and output.name == "stderr"
        ]
        assert not stderr, (
            f"{path.name} wrote to stderr with {kernel.versions}: cell {stderr[0][0]}:\n{stderr[0][1][-2000:]}"
        )
        images = [
            output
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.outputs
            if "image/png" in output.get("data", {})
        ]
        assert images, f"{path.name} drew no plot with {kernel.versions}"
