"""The pip lock and the conda environment are one set of pins."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from course_under_test import ROOT

from course.environment import PYTHON, pins_of_environment, pins_of_requirements


def test_requirements_are_fully_pinned() -> None:
    pins = pins_of_requirements(ROOT / "requirements.txt")
    for package in ("nbgrader", "nbval", "jupyterlab", "numpy", "pandas", "matplotlib", "scikit-learn"):
        assert package in pins, f"{package} is missing from requirements.txt"
    assert pins["nbgrader"].startswith("0.9.")
    assert pins["jupyterlab"].startswith("4.")


def test_environment_yml_has_the_same_pins() -> None:
    python, pins = pins_of_environment(ROOT / "environment.yml")
    assert python == PYTHON
    assert pins == pins_of_requirements(ROOT / "requirements.txt"), "run `make lock` to regenerate environment.yml"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, set[str]]:
    """Distributions pyproject.toml declares, by group ("" for the package's own dependencies)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"": project["dependencies"], **project["optional-dependencies"]}
    return {
        group: {_normal(re.split(r"[=<>!~\s\[;]", requirement.strip(), maxsplit=1)[0]) for requirement in found}
        for group, found in groups.items()
    }


def test_every_declared_requirement_is_locked() -> None:
    pins = pins_of_requirements(ROOT / "requirements.txt")
    for group, names in _declared().items():
        for name in names:
            assert name in pins, f"{name} ({group or 'dependencies'}) is not in the lock: run `make lock`"


def _third_party_imports(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "course"}


# Parts of the package whose imports may come from an extra: the benchmark's, and
# `course grade --cluster`'s (the benchmark measures the cluster too).
EXTRAS = {"course/bench": ("bench", "cluster"), "course/cluster.py": ("cluster",)}


@pytest.mark.parametrize("part", ["course", *EXTRAS])
def test_every_module_the_package_imports_is_declared(part: str) -> None:
    """An import of a package that only arrives as another's dependency breaks when that one drops it."""
    declared = set().union(*(_declared()[group] for group in ("", *EXTRAS.get(part, ()))))
    distributions = importlib.metadata.packages_distributions()
    if (ROOT / part).is_file():
        paths = [ROOT / part]
    else:
        # The rest of the package needs its imports installed without any extra.
        extras = [ROOT / other for other in EXTRAS if other != part]
        paths = [
            path
            for path in (ROOT / part).rglob("*.py")
            if not any(path == other or other in path.parents for other in extras)
        ]
    for module in sorted(_third_party_imports(paths)):
        owners = {_normal(owner) for owner in distributions.get(module, [module])}
        assert owners & declared, f"{part} imports {module} ({', '.join(sorted(owners))}): declare it"


def test_importing_the_package_changes_nothing_in_the_process() -> None:
    """PATH and the course's warnings filter change when a course is opened, never merely by importing."""
    probe = (
        "import os, warnings; path = os.environ['PATH']; "
        "import course.cli, course.grade, course.nbgrader_api, course.context, course.gradebook; "
        "from sqlalchemy.exc import SAWarning; "
        "assert os.environ['PATH'] == path, 'PATH changed at import'; "
        "assert not [f for f in warnings.filters if f[2] is SAWarning], 'warnings filter added at import'"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
