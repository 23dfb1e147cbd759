"""Send the tests that share a kernel or a graded cohort to one xdist worker.

xdist's own ``loadgroup`` mode tags node ids with an ``@group`` suffix, which
pytest 9 ignores (node ids are no longer rewritable), so nbval's cells of one
notebook ended up in two kernels. This scheduler decides the unit of work from
the node id alone, which the controller always sees.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# Modules whose tests read one expensive, process-cached fixture.
SHARED_FIXTURES = {
    "grader_tests/test_repair.py": "graded-corpus",
    "grader_tests/test_integrity.py": "graded-corpus",
}
PER_LESSON = {"grader_tests/test_lessons.py", "grader_tests/test_red_team.py"}


def work_unit(nodeid: str) -> str:
    """The group a test is scheduled with; tests of one group share a worker.

    A notebook's cells form one group (they share one kernel); a lesson's
    grading tests form one group (its cohort is graded once per worker); any
    other module is one group, so its module-scoped fixtures are built once.
    """
    path, _, name = nodeid.partition("::")
    if path in PER_LESSON and "[" in name:
        lesson = name.split("[", 1)[1].split("-", 1)[0].rstrip("]")
        return f"{path}::{lesson}"
    return SHARED_FIXTURES.get(path, path)


class CourseScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)
