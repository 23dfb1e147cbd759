"""The pip lock and the conda environment are one set of pins."""

from __future__ import annotations

import re

from conftest import ROOT
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


def test_every_top_level_requirement_is_locked() -> None:
    pins = pins_of_requirements(ROOT / "requirements.txt")
    for line in (ROOT / "requirements.in").read_text().splitlines():
        name = re.split(r"[=<>!~\s#\[]", line.strip(), maxsplit=1)[0]
        if name:
            assert re.sub(r"[-_.]+", "-", name).lower() in pins, f"{name} is not in the lock"
