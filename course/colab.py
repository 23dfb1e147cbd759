"""The README's "Open in Colab" links, one per released lesson notebook.

Colab opens a notebook straight from a public GitHub repository, so each link
needs the repository's ``owner/name``. It is ``repository`` under
``[tool.course]`` in ``pyproject.toml`` when that is set, and otherwise read
from the GitHub address of the clone's ``origin`` remote. With neither, the
README carries a note on how to set it instead of links that lead nowhere.
``python -m course links`` rewrites the block between the README's
``<!-- colab-links -->`` markers; ``grader_tests/test_colab_links.py`` fails
while it is stale.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from .layout import LESSON_NAME, CourseError, notebooks

COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/{path}"
DEFAULT_BRANCH = "main"
# The README's generated block, markers included.
BLOCK = re.compile(r"<!-- colab-links:.*?-->\n.*?<!-- /colab-links -->\n", re.DOTALL)
OPENING = (
    "<!-- colab-links: written by `python -m course links` from [tool.course] in pyproject.toml "
    "or the origin remote; grader_tests/test_colab_links.py checks them -->"
)
CLOSING = "<!-- /colab-links -->"
# A GitHub owner (letters, digits, inner hyphens) and repository name.
REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+$")
# Template values that look like a repository but name none.
PLACEHOLDER = re.compile(r"^(OWNER|USER|USERNAME|ORG)/|/(REPO|REPOSITORY)$", re.IGNORECASE)
# Git's forms of a GitHub address: https (maybe with credentials), git://,
# ssh:// and scp-like ``git@github.com:owner/name``, with or without ``.git``.
GITHUB_REMOTE = re.compile(
    r"^(?:(?:https?|git|ssh)://(?:[^@/]+@)?github\.com(?::\d+)?/|[^@/:]+@github\.com:)"
    r"(?P<repository>[^/]+/[^/]+?)(?:\.git)?/?$"
)
NO_REPOSITORY_NOTE = (
    "*Open in Colab* links appear here once the course knows its GitHub repository: set\n"
    '`repository = "owner/name"` under `[tool.course]` in `pyproject.toml` (or clone\n'
    "the course from GitHub, so that `git remote get-url origin` names it), then run\n"
    "`python -m course links`.\n"
)


def repository_from_remote(url: str) -> str | None:
    """The ``owner/name`` of a GitHub remote URL, or ``None`` for any other host or form.

    Parameters
    ----------
    url : str
        A git remote URL, e.g. ``git@github.com:owner/name.git``.

    Returns
    -------
    str or None
        ``owner/name``; credentials in the URL are never part of it.
    """
    match = GITHUB_REMOTE.match(url.strip())
    if not match or not REPOSITORY.match(match.group("repository")):
        return None
    return match.group("repository")


def origin_url(root: Path) -> str | None:
    """The URL of the ``origin`` remote of the clone at ``root``, or ``None`` without one (or without git)."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def _settings(root: Path) -> dict[str, object]:
    """``[tool.course]`` of ``root``'s pyproject.toml (empty when there is none)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("course", {})
    except tomllib.TOMLDecodeError as error:
        raise CourseError(f"{path} is not valid TOML: {error}") from None


def course_repository(root: Path) -> str | None:
    """The course's GitHub ``owner/name``: pyproject's setting, else the origin remote's, else ``None``.

    Raises
    ------
    CourseError
        When ``[tool.course] repository`` is set to a placeholder or to anything but ``owner/name``.
    """
    configured = str(_settings(root).get("repository", "")).strip()
    if configured:
        if not REPOSITORY.match(configured) or PLACEHOLDER.search(configured):
            raise CourseError(
                f"[tool.course] repository = {configured!r} in pyproject.toml is not a GitHub repository: "
                'give its owner/name (e.g. "ada/ml-course"), or leave it empty to use the origin remote'
            )
        return configured
    url = origin_url(root)
    return repository_from_remote(url) if url else None


def readme_block(root: Path) -> str:
    """The README's links block for the course at ``root``: a table of links, or the note without a repository."""
    repository = course_repository(root)
    if repository is None:
        return f"{OPENING}\n{NO_REPOSITORY_NOTE}{CLOSING}\n"
    branch = str(_settings(root).get("branch", "") or DEFAULT_BRANCH)
    rows = ["| lesson | open |", "|---|---|"]
    lessons = sorted(path.name for path in (root / "release").iterdir() if LESSON_NAME.match(path.name))
    for lesson in lessons:
        for notebook in notebooks(root, "release", lesson):
            url = COLAB.format(repository=repository, branch=branch, path=notebook.relative_to(root).as_posix())
            rows.append(f"| `{lesson}` | [Open in Colab]({url}) |")
    return "\n".join([OPENING, *rows, CLOSING]) + "\n"


def update_readme(root: Path) -> bool:
    """Rewrite the links block of ``root``'s README.md; return whether it changed.

    Raises
    ------
    CourseError
        When the README has no ``<!-- colab-links: -->`` ... ``<!-- /colab-links -->`` block.
    """
    path = root / "README.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    match = BLOCK.search(text)
    if not match:
        raise CourseError(f"{path} has no <!-- colab-links: ... --> ... {CLOSING} block to write the links into")
    block = readme_block(root)
    if match.group(0) == block:
        return False
    path.write_text(text[: match.start()] + block + text[match.end() :], encoding="utf-8")
    return True


def readme_is_current(root: Path) -> bool:
    """Whether ``root``'s README already holds the links block :func:`readme_block` would write."""
    path = root / "README.md"
    match = BLOCK.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    return match is not None and match.group(0) == readme_block(root)
