"""Keep ``environment.yml`` (conda) and ``requirements.txt`` (pip) the same set of pins.

``python -m course.environment requirements.txt environment.yml`` writes the
conda file from the pip lock; :func:`pins_of_requirements` and
:func:`pins_of_environment` read them back so a test can compare the two.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")
PYTHON = "3.11"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins_of_requirements(path: Path) -> dict[str, str]:
    """``{package: version}`` for every ``name==version`` line of a pip lock.

    Raises ``ValueError`` on a requirement that is not pinned exactly.
    """
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        if not match:
            raise ValueError(f"{path.name}: not pinned with ==: {line!r}")
        pins[_canonical(match.group(1))] = match.group(2)
    return pins


def pins_of_environment(path: Path) -> tuple[str, dict[str, str]]:
    """The Python version and the pip pins of a conda ``environment.yml``."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    python = ""
    pins: dict[str, str] = {}
    for dependency in spec.get("dependencies", []):
        if isinstance(dependency, str) and dependency.startswith("python="):
            python = dependency.split("=", 1)[1]
        elif isinstance(dependency, dict):
            for line in dependency.get("pip", []):
                match = PIN.match(line)
                if not match:
                    raise ValueError(f"{path.name}: pip entry not pinned with ==: {line!r}")
                pins[_canonical(match.group(1))] = match.group(2)
    return python, pins


def write_environment(requirements: Path, environment: Path) -> None:
    """Write ``environment`` with the exact pins of ``requirements``."""
    pins = pins_of_requirements(requirements)
    spec = {
        "name": "ml-interview-course",
        "channels": ["conda-forge"],
        "dependencies": [
            f"python={PYTHON}",
            "pip",
            {"pip": [f"{name}=={version}" for name, version in sorted(pins.items())]},
        ],
    }
    header = "# Generated from requirements.txt by `make lock`; do not edit by hand.\n"
    environment.write_text(header + yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    write_environment(Path(sys.argv[1]), Path(sys.argv[2]))
