"""Sections 4 and 5: the grader's throughput and overhead, and a cohort graded by one and two workers."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..cohorts import REFERENCE, write_cohort
from ..context import Course
from ..grade import grade
from ..mutants import load_library
from ..selftest import auto_points, scratch_course
from ..submissions import reference_answers, write_submission
from .measure import Row, Section
from .notebooks import execute, kernel_arguments

GRADER_OVERHEAD_TARGET = 1.5


def bench_grading(root: Path, lessons: list[str], repeats: int, cohort_size: int = 2) -> Section:
    """Section 4: seconds per graded submission and the grader's overhead over plain nbclient."""
    section = Section(
        "Grading throughput",
        ("s / submission", "nbclient s", "overhead ratio", "reference score"),
        notes=[
            f"A cohort of {cohort_size} copies of the reference answers per lesson (written into the release "
            "notebook of a scratch course, as `course.cohorts` does) graded with `course.grade.grade`; the overhead "
            "ratio divides the grader's seconds per submission by the seconds nbclient takes to execute that same "
            "autograded notebook (hidden tests included), both within one run; "
            f"median of {repeats} run(s). Target: overhead under "
            f"{GRADER_OVERHEAD_TARGET:g}x. The grader's fixed cost per run (gradebook, reports) is spread over the "
            "cohort, so a bigger cohort (`--cohort`) lowers the ratio."
        ],
    )
    arguments = kernel_arguments(root)
    for lesson in lessons:
        with tempfile.TemporaryDirectory(prefix=f"bench-grade-{lesson}-") as workdir:
            course = scratch_course(root, lesson, Path(workdir))
            answers = reference_answers(course, lesson)
            cohort = Path(workdir) / "cohort"
            students = [f"{REFERENCE}-{index}" for index in range(cohort_size)]
            for student in students:
                write_submission(course, lesson, answers, cohort / student / lesson)
            ratios, per_submission, direct, score = [], [], [], (0.0, 0.0)
            for _ in range(repeats):
                start = time.perf_counter()
                # force: every repeat grades, where a plain run would resume the first one.
                run = grade(Course.open(course), lesson, cohort, force=True)
                graded = (time.perf_counter() - start) / cohort_size
                autograded = sorted((course / "autograded" / students[0] / lesson).glob("*.ipynb"))
                plain = sum(execute(path, arguments) for path in autograded)
                ratios.append(graded / plain)
                per_submission.append(graded)
                direct.append(plain)
                score = auto_points(run.rows, students[0])
        ratio = statistics.median(ratios)
        section.rows.append(
            Row(
                lesson,
                f"{cohort_size} submissions",
                {
                    "s / submission": statistics.median(per_submission),
                    "nbclient s": statistics.median(direct),
                    "overhead ratio": ratio,
                    "reference score": f"{score[0]:g}/{score[1]:g}",
                },
                target=f"< {GRADER_OVERHEAD_TARGET:g}x",
                met=ratio < GRADER_OVERHEAD_TARGET,
            )
        )
    return section


def _graded_cohort(
    root: Path, lessons: list[str], workdir: Path, workers: int, database: Callable[[], str] | None
) -> tuple[float, int, str]:
    """Grade every lesson's self-check cohort in a fresh scratch course; seconds, submissions, scores.csv texts."""
    library = load_library(root)
    elapsed, count, scores = 0.0, 0, ""
    for lesson in lessons:
        course = scratch_course(root, lesson, workdir / lesson)
        cohort = workdir / f"{lesson}-cohort"
        count += len(write_cohort(course, lesson, cohort, library.get(lesson, []), every_mutant=True))
        start = time.perf_counter()
        opened = Course.open(course, database() if database else None)
        run = grade(opened, lesson, cohort, workers=workers)
        elapsed += time.perf_counter() - start
        scores += run.scores_csv.read_text()
    return elapsed, count, scores


# One graded cohort: seconds, submissions, and the scores.csv texts joined.
CohortRun = tuple[float, int, str]


def bench_scale(root: Path, lessons: list[str], repeats: int, database: Callable[[], str] | None = None) -> Section:
    """Section 5: a cohort of two lessons graded with one and two workers, into SQLite and PostgreSQL."""
    runs: dict[str, list[CohortRun]] = {"serial": [], "parallel": [], "postgresql": []}
    for _ in range(repeats):
        for name, workers, url in (("serial", 1, None), ("parallel", 2, None), ("postgresql", 2, database)):
            if name == "postgresql" and database is None:
                continue
            with tempfile.TemporaryDirectory(prefix=f"bench-scale-{name}-") as workdir:
                runs[name].append(_graded_cohort(root, lessons, Path(workdir), workers, url))
    return scale_section(lessons, repeats, runs)


def scale_section(lessons: list[str], repeats: int, runs: dict[str, list[CohortRun]]) -> Section:
    """Section 5's table from its runs: ``serial`` (SQLite, 1 worker), ``parallel`` (2) and ``postgresql`` (2)."""
    section = Section(
        "Grading at cohort scale",
        ("submissions", "seconds", "s / submission", "speed-up", "same scores"),
        notes=[
            f"Each lesson's self-check cohort ({', '.join(lessons)}: the reference, the untouched stub and one learner "
            "per known mistake, so scores differ) graded by `course.grade.grade` into a fresh scratch course per run; "
            'the speed-up divides the one-worker seconds by the same repeat\'s seconds; "same scores" '
            f"compares scores.csv with the one-worker SQLite run's. Median of {repeats} run(s). "
            "Target: at least 1.7x with 2 workers on 2 cores. As root every kernel starts in the sandbox."
        ],
    )
    expected = runs["serial"][0][2]
    for name, label in (
        ("serial", "SQLite, --workers 1"),
        ("parallel", "SQLite, --workers 2"),
        ("postgresql", "PostgreSQL, --workers 2"),
    ):
        if not runs[name]:
            section.rows.append(
                Row(
                    label,
                    "-",
                    dict.fromkeys(section.columns),
                    note="not measured: pass `course bench --db postgresql://...`",
                )
            )
            continue
        median, count = statistics.median(seconds for seconds, _, _ in runs[name]), runs[name][0][1]
        speed_up = statistics.median(one[0] / other[0] for one, other in zip(runs["serial"], runs[name], strict=True))
        same = all(scores == expected for _, _, scores in runs[name])
        section.rows.append(
            Row(
                label,
                f"{len(lessons)} lessons",
                {
                    "submissions": count,
                    "seconds": median,
                    "s / submission": median / count,
                    "speed-up": None if name == "serial" else speed_up,
                    "same scores": "yes" if same else "NO",
                },
                target=">= 1.7x" if name == "parallel" else "-",
                met=(speed_up >= 1.7 and same) if name == "parallel" else None,
            )
        )
    return section
