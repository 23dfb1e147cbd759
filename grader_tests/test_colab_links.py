"""The README's "Open in Colab" links: one per released lesson notebook, to the
course's real GitHub repository (``[tool.course]`` in pyproject.toml, or the
``origin`` remote), and never to a placeholder; without a repository, a note
saying how to set one."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from course_under_test import ROOT

from course.cli import main
from course.colab import BLOCK, readme_block, repository_from_remote
from course.layout import CourseError

PLACEHOLDER = re.compile(r"\bOWNER/REPO\b|\bUSER(NAME)?/REPO(SITORY)?\b", re.IGNORECASE)
LESSON = "00_warmup"


def test_neither_the_readme_nor_pyproject_names_a_placeholder_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    configured = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["course"]
    assert not PLACEHOLDER.search(readme), "the README links to a placeholder repository"
    assert not PLACEHOLDER.search(configured.get("repository", "")), "pyproject.toml names a placeholder repository"


def test_the_readme_block_is_what_course_links_writes() -> None:
    match = BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "the README lost its <!-- colab-links --> block"
    assert match.group(0) == readme_block(ROOT), (
        "README's Colab links are out of step with release/, [tool.course] in pyproject.toml or the origin "
        "remote: run `python -m course links`"
    )


@pytest.mark.parametrize(
    ("url", "repository"),
    [
        ("https://github.com/ada/ml-course.git", "ada/ml-course"),
        ("https://github.com/ada/ml-course", "ada/ml-course"),
        ("https://github.com/ada/ml-course/", "ada/ml-course"),
        ("https://ada:ghp_secret@github.com/ada/ml.course.git", "ada/ml.course"),
        ("http://github.com/ada/ml_course", "ada/ml_course"),
        ("git@github.com:ada/ml-course.git", "ada/ml-course"),
        ("git@github.com:ada/ml-course", "ada/ml-course"),
        ("ssh://git@github.com/ada/ml-course.git", "ada/ml-course"),
        ("ssh://git@github.com:22/ada/ml-course.git", "ada/ml-course"),
        ("git://github.com/ada/ml-course.git", "ada/ml-course"),
        ("https://gitlab.com/ada/ml-course.git", None),  # Colab opens notebooks from GitHub only
        ("git@gitlab.com:ada/ml-course.git", None),
        ("https://github.com/ada", None),
        ("/srv/git/ml-course.git", None),
    ],
)
def test_github_remotes_give_owner_and_name(url: str, repository: str | None) -> None:
    assert repository_from_remote(url) == repository


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course clone of one lesson with the README's links block, no remote and no repository configured."""
    root = tmp_path / "course"
    (root / "source" / LESSON).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "release" / LESSON, root / "release" / LESSON)
    (root / "README.md").write_text("# Course\n\n<!-- colab-links: -->\nold\n<!-- /colab-links -->\n\nThe end.\n")
    (root / "pyproject.toml").write_text('[tool.course]\nrepository = ""\nbranch = "main"\n')
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


def colab_urls(root: Path) -> list[str]:
    return re.findall(r"\((https://colab\.research\.google\.com/[^)\s]+)\)", (root / "README.md").read_text())


def test_links_follow_the_origin_remote(course: Path) -> None:
    subprocess.run(
        ["git", "-C", str(course), "remote", "add", "origin", "git@github.com:ada/ml-course.git"], check=True
    )
    assert main(["links"]) == 0
    assert colab_urls(course) == [
        f"https://colab.research.google.com/github/ada/ml-course/blob/main/release/{LESSON}/{LESSON}.ipynb"
    ]
    readme = (course / "README.md").read_text()
    assert readme.startswith("# Course\n\n") and readme.endswith("\n\nThe end.\n"), "text outside the block changed"
    assert main(["links", "--check"]) == 0


def test_pyproject_overrides_the_remote(course: Path) -> None:
    subprocess.run(
        ["git", "-C", str(course), "remote", "add", "origin", "https://github.com/fork/ml-course"], check=True
    )
    (course / "pyproject.toml").write_text('[tool.course]\nrepository = "ada/ml-course"\nbranch = "trunk"\n')
    assert main(["links"]) == 0
    assert colab_urls(course) == [
        f"https://colab.research.google.com/github/ada/ml-course/blob/trunk/release/{LESSON}/{LESSON}.ipynb"
    ]


def test_without_a_repository_the_readme_says_how_to_set_one(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["links", "--check"]) == 1, "the stale block passed the check"
    assert main(["links"]) == 0
    readme = (course / "README.md").read_text()
    assert not colab_urls(course) and "[tool.course]" in readme and "repository" in readme
    assert main(["links", "--check"]) == 0


@pytest.mark.parametrize("repository", ["OWNER/REPO", "ada", "ada/ml course", "https://github.com/ada/ml"])
def test_a_placeholder_or_malformed_repository_is_a_clear_error(course: Path, repository: str) -> None:
    (course / "pyproject.toml").write_text(f'[tool.course]\nrepository = "{repository}"\n')
    with pytest.raises(CourseError, match="owner/name"):
        readme_block(course)
