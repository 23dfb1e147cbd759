"""Red-team attacks graded through the real grading path: none may earn points or show a hidden test.

Each lesson's cohort (:mod:`red_team`) is graded once, with its feedback
pages. An attack is a wrong answer plus a trick; it must score no more than
the same wrong answer alone, and neither its feedback page nor the outputs of
its graded notebook may hold a hidden-test line, plain or encoded. While the
hidden tests run in the learner's kernel, most of these tests fail: they are
written for the grader that runs the tests in a trusted process.
"""

from __future__ import annotations

import base64
import codecs
import zlib

import pytest
import red_team
from red_team import REFERENCE, STUB, ZEROS, attacks, graded_cohort, leaks, output_text

from course.feedback import page_text

CASES = [(lesson, attack) for lesson in red_team.LESSONS for attack in attacks(lesson)]
IDS = [f"{lesson}-{attack.name}" for lesson, attack in CASES]


@pytest.mark.parametrize(("lesson", "attack"), CASES, ids=IDS)
def test_attack_scores_no_more_than_a_wrong_answer(lesson: str, attack: red_team.Attack) -> None:
    cohort = graded_cohort(lesson)
    got, wrong = cohort.points(attack.name), cohort.points(attack.base)
    assert got <= wrong, (
        f"{attack.name} ({attack.how}) scored {got:g} of {cohort.max_points:g}, "
        f"the same wrong answer alone ({attack.base}) {wrong:g}; grader said {cohort.outcome(attack.name)!r}"
    )


@pytest.mark.parametrize(("lesson", "attack"), CASES, ids=IDS)
def test_attack_leaks_no_hidden_test_line(lesson: str, attack: red_team.Attack) -> None:
    cohort = graded_cohort(lesson)
    shown = {
        "feedback page": leaks(page_text(cohort.page(attack.name)), cohort.secret, cohort.visible),
        "graded notebook's outputs": leaks(output_text(cohort.autograded(attack.name)), cohort.secret, cohort.visible),
    }
    found = {where: lines for where, lines in shown.items() if lines}
    assert not found, f"{attack.name} ({attack.how}) leaked {sum(map(len, found.values()))} line(s): " + "; ".join(
        f"{where}: {lines[:3]}" for where, lines in found.items()
    )


@pytest.mark.parametrize("lesson", red_team.LESSONS)
def test_the_reference_keeps_full_marks(lesson: str) -> None:
    cohort = graded_cohort(lesson)
    assert cohort.max_points > 0
    assert cohort.points(REFERENCE) == cohort.max_points, cohort.outcome(REFERENCE)


@pytest.mark.parametrize("lesson", red_team.LESSONS)
@pytest.mark.parametrize("student", [REFERENCE, STUB, ZEROS])
def test_honest_submissions_show_nothing_the_leak_check_finds(lesson: str, student: str) -> None:
    """The leak check must not fire on submissions that attempt nothing, or its failures mean nothing."""
    cohort = graded_cohort(lesson)
    page = cohort.page(student)
    assert page, f"{student} has no feedback page: {cohort.feedback.problems.get(student)}"
    assert leaks(page_text(page), cohort.secret, cohort.visible) == []
    assert leaks(output_text(cohort.autograded(student)), cohort.secret, cohort.visible) == []


def test_the_wrong_answers_earn_less_than_the_reference() -> None:
    """A baseline with full marks would let every attack pass test (i)."""
    for lesson in red_team.LESSONS:
        cohort = graded_cohort(lesson)
        assert cohort.points(STUB) < cohort.max_points and cohort.points(ZEROS) < cohort.max_points, lesson


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text,
        lambda text: text[::-1],
        lambda text: codecs.encode(text, "rot_13"),
        lambda text: base64.b64encode(text.encode()).decode(),
        lambda text: base64.b64encode(zlib.compress(text.encode())).decode(),
        lambda text: text.encode().hex(),
        lambda text: zlib.compress(text.encode()).hex(),
        lambda text: base64.b64encode(text.encode()).decode()[:-7] + " ...",  # cut short, as long messages are
    ],
    ids=["plain", "reversed", "rot13", "base64", "zlib_base64", "hex", "zlib_hex", "base64_cut"],
)
def test_the_leak_check_reads_every_encoding_the_attacks_use(encode) -> None:
    secret = {"assert np.isclose(got[0], want_mse, rtol=1e-12)", "rng = np.random.default_rng(20261122)"}
    text = "import numpy as np\n" + "\n".join(sorted(secret)) + "\nprint('done')\n"
    page = f"<pre>my notes: {encode(text)}</pre>"
    assert leaks(page, secret), page[:200]
    assert leaks(page, {"a line the page never held"}) == []
