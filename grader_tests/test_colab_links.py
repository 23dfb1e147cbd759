"""The README's "Open in Colab" links: one per released lesson, all built from
the repository address set once in pyproject.toml (``[tool.course]``)."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from course.layout import LESSON_NAME, notebooks

COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/{path}"
BLOCK = re.compile(r"<!-- colab-links:.*?-->\n(.*?)<!-- /colab-links -->", re.DOTALL)
LINK = re.compile(r"\(https://colab\.research\.google\.com/[^)\s]+\)")


def expected_rows() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["course"]
    rows = []
    for folder in sorted(path for path in (ROOT / "release").iterdir() if LESSON_NAME.match(path.name)):
        for notebook in notebooks(ROOT, "release", folder.name):
            url = COLAB.format(path=notebook.relative_to(ROOT).as_posix(), **config)
            rows.append(f"| `{folder.name}` | [Open in Colab]({url}) |")
    return rows


def test_every_released_lesson_has_a_colab_link_to_the_configured_repository() -> None:
    block = BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block, "the README lost its <!-- colab-links --> block"
    rows = [line for line in block.group(1).splitlines() if LINK.search(line)]
    expected = expected_rows()
    missing = [row for row in expected if row not in rows]
    stale = [row for row in rows if row not in expected]
    assert not missing and not stale, (
        "README's Colab links are out of step with release/ and [tool.course] in pyproject.toml.\n"
        "Add:\n" + "\n".join(missing) + "\nRemove:\n" + "\n".join(stale))
