"""Section 6: a cohort graded on a local Dask cluster of 1, 2 and 4 worker processes."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from ..cluster import WORKER_ROOT
from ..cohorts import write_cohort
from ..context import Course
from ..grade import grade
from ..mutants import load_library
from ..selftest import scratch_course
from .measure import Row, Section

WORKER_COUNTS = (1, 2, 4)


def _on_cluster(root: Path, lesson: str, workdir: Path, workers: int | None) -> tuple[float, int, str]:
    """Grade ``lesson``'s self-check cohort, on a fresh local cluster of ``workers`` processes (None: without one).

    The seconds count the grading only: the cluster is up, as an instructor's
    would be, before the clock starts; each worker's first task still builds
    its private copy of the course, as on a real host.
    """
    from distributed import LocalCluster

    course = scratch_course(root, lesson, workdir / "coordinator")
    cohort = workdir / "cohort"
    count = len(write_cohort(course, lesson, cohort, load_library(root).get(lesson, []), every_mutant=True))
    if workers is None:
        start = time.perf_counter()
        run = grade(Course.open(course), lesson, cohort, workers=1)
        return time.perf_counter() - start, count, run.scores_csv.read_text()
    earlier = os.environ.get(WORKER_ROOT)
    os.environ[WORKER_ROOT] = str(scratch_course(root, lesson, workdir / "worker-host"))
    try:
        with LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as cluster:
            start = time.perf_counter()
            run = grade(Course.open(course), lesson, cohort, cluster=cluster.scheduler_address)
            seconds = time.perf_counter() - start
    finally:
        if earlier is None:
            del os.environ[WORKER_ROOT]
        else:
            os.environ[WORKER_ROOT] = earlier
    return seconds, count, run.scores_csv.read_text()


def bench_cluster(root: Path, lesson: str, repeats: int) -> Section:
    """Seconds per submission with ``--cluster`` against the number of worker processes, and without it."""
    section = Section(
        "Grading on a Dask cluster",
        ("submissions", "seconds", "s / submission", "speed-up", "same scores"),
        notes=[
            f"{lesson}'s self-check cohort (the reference, the stub, one learner per known mistake) graded by "
            "`course grade --cluster` on a local Dask cluster whose worker processes (one thread each) stand in for "
            "hosts, each with its own copy of the course; the first row grades without a cluster, one student at a "
            "time. The clock starts once the cluster is up. The speed-up divides the one-worker cluster's seconds "
            'by the same repeat\'s; "same scores" compares scores.csv with the run without a cluster. '
            f"Median of {repeats} run(s). No target: on this machine's cores, more workers than cores only queue. "
            "The grading's own processes (a kernel and a trusted process per worker) are most of the load shown."
        ],
    )
    runs: dict[int | None, list[tuple[float, int, str]]] = {}
    # The 1-minute load right after each configuration's last run, where the table would take the end's.
    loads: dict[int | None, float] = {}
    for _ in range(repeats):
        for workers in (None, *WORKER_COUNTS):
            with tempfile.TemporaryDirectory(prefix="bench-cluster-") as workdir:
                runs.setdefault(workers, []).append(_on_cluster(root, lesson, Path(workdir), workers))
            loads[workers] = os.getloadavg()[0]
    expected = runs[None][0][2]
    for workers, done in runs.items():
        median, count = statistics.median(seconds for seconds, _, _ in done), done[0][1]
        speed_up = (
            None
            if workers is None
            else statistics.median(one[0] / this[0] for one, this in zip(runs[1], done, strict=True))
        )
        section.rows.append(
            Row(
                "no cluster, --workers 1" if workers is None else f"--cluster, {workers} worker process(es)",
                lesson,
                {
                    "submissions": count,
                    "seconds": median,
                    "s / submission": median / count,
                    "speed-up": speed_up,
                    "same scores": "yes" if all(scores == expected for _, _, scores in done) else "NO",
                },
                load=loads[workers],
            )
        )
    return section
