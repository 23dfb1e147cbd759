"""Every solution notebook runs anywhere with only NumPy, pandas and matplotlib.

The solution cells and the hidden tests of each source notebook run as one
script, in a virtual environment holding nothing but those three packages (at
the pinned versions), from a folder outside the repository; the only file of
the course beside it is the probes module the hidden tests import, which needs
nothing more. A correct solution
must also write nothing to stderr: nbgrader would score such a test cell zero.
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import nbformat
import pytest
from course_under_test import LESSONS, ROOT

from course.drills import bank_source, load_bank
from course.environment import pins_of_requirements
from course.layout import notebooks

LEARNER_PACKAGES = ("numpy", "pandas", "matplotlib")


@pytest.fixture(scope="session")
def learner_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python with only the learner's packages, as a Colab-like minimum."""
    home = tmp_path_factory.mktemp("learner-env")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    pins = pins_of_requirements(ROOT / "requirements.txt")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", *(f"{p}=={pins[p]}" for p in LEARNER_PACKAGES)],
        check=True,
        capture_output=True,
    )
    return python


# The probes hidden tests ask the learner's process with (course.harness.probes) need
# only NumPy: they travel with the script, as the trusted process has them when grading.
PROBES = ("__init__.py", "harness/__init__.py", "harness/probes.py", "harness/agent.py", "harness/wire.py")


def with_probes(folder: Path) -> None:
    for name in PROBES:
        target = folder / "course" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((ROOT / "course" / name).read_text(encoding="utf-8"), encoding="utf-8")


def solution_script(path: Path) -> str:
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    return "\n\n".join(code) + "\n"


def run_alone(learner_python: Path, script: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with the learner's Python, from its folder, with none of this repository's environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(learner_python), script.name],
        cwd=script.parent,
        capture_output=True,
        text=True,
        env={**env, "MPLBACKEND": "Agg"},
        timeout=300,
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_runs_with_only_numpy_pandas_matplotlib(lesson: str, learner_python: Path, tmp_path: Path) -> None:
    for path in notebooks(ROOT, "source", lesson):
        script = tmp_path / f"{path.stem}.py"
        script.write_text(solution_script(path), encoding="utf-8")
        with_probes(tmp_path)
        run = run_alone(learner_python, script)
        assert run.returncode == 0, f"{path.name} failed outside the repository:\n{run.stderr[-3000:]}"
        assert run.stderr == "", f"{path.name} wrote to stderr:\n{run.stderr[-3000:]}"


def test_drill_bank_runs_with_only_numpy_pandas_matplotlib(learner_python: Path, tmp_path: Path) -> None:
    """Every drill's reference and hidden tests, one after another as in a mock, with only the learner's packages."""
    notebook = tmp_path / "drill_bank.ipynb"
    nbformat.write(bank_source(load_bank(ROOT)), notebook)
    script = tmp_path / "drill_bank.py"
    script.write_text(solution_script(notebook), encoding="utf-8")
    with_probes(tmp_path)
    run = run_alone(learner_python, script)
    assert run.returncode == 0, f"the drill bank failed outside the repository:\n{run.stderr[-3000:]}"
    assert run.stderr == "", f"the drill bank wrote to stderr:\n{run.stderr[-3000:]}"
