"""The grade a unit's year proposes for the year-end evaluation (đánh giá, xếp loại tổ chức
đảng): the rules the office sets, and the one function that applies them.

A grade is proposed, never given: a leader confirms it or chooses another with a reason
(``workflow.accountability.year_grades``). The rules say, for each grade from the highest, the
least share of the duties due that were completed on time (an extension granted moves the due
time, so a task finished by its new date counts as on time), the least share of the target
figures that reached the quarter's mark, the most duties still overdue and the most explanations
asked and not answered. A unit gets the highest grade whose every condition it meets; with
nothing due and no target assessed there is nothing to judge, and no grade is proposed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from itertools import pairwise

from workflow.errors import InvalidInput
from workflow.i18n import N_


class Grade(StrEnum):
    EXCELLENT = "excellent"  # hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # hoàn thành tốt nhiệm vụ
    DONE = "done"  # hoàn thành nhiệm vụ
    NOT_DONE = "not_done"  # không hoàn thành nhiệm vụ

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]


GRADE_LABELS = {
    Grade.EXCELLENT: N_("Completed the tasks excellently"),
    Grade.GOOD: N_("Completed the tasks well"),
    Grade.DONE: N_("Completed the tasks"),
    Grade.NOT_DONE: N_("Did not complete the tasks"),
}


@dataclass(frozen=True)
class GradeRule:
    """What a unit must reach for one grade."""

    min_on_time: float  # share of the duties due completed on time, 0..1
    min_targets: float  # share of the target figures assessed that reached the mark, 0..1
    max_overdue: int  # duties not completed and past their due time
    max_unanswered: int  # explanations asked and not answered


# The rules a ward starts from, highest grade first; "not done" is what is left.
DEFAULT_RULES = {
    Grade.EXCELLENT: GradeRule(0.9, 0.9, 0, 0),
    Grade.GOOD: GradeRule(0.75, 0.7, 2, 0),
    Grade.DONE: GradeRule(0.5, 0.5, 5, 1),
}


@dataclass(frozen=True)
class Standing:
    """What the rules look at in a unit's year."""

    due: int
    completed_on_time: int
    targets_assessed: int
    targets_reached: int
    overdue: int
    unanswered: int

    @property
    def on_time_share(self) -> float | None:
        return self.completed_on_time / self.due if self.due else None

    @property
    def targets_share(self) -> float | None:
        return self.targets_reached / self.targets_assessed if self.targets_assessed else None


def propose(standing: Standing, rules: Mapping[Grade, GradeRule]) -> Grade | None:
    """The highest grade whose every condition ``standing`` meets; None with nothing to judge.
    A share with nothing behind it (no duty due, no target assessed) does not hold a unit back."""
    if standing.on_time_share is None and standing.targets_share is None:
        return None
    for grade in (Grade.EXCELLENT, Grade.GOOD, Grade.DONE):
        rule = rules[grade]
        on_time, targets = standing.on_time_share, standing.targets_share
        if (
            (on_time is None or on_time >= rule.min_on_time)
            and (targets is None or targets >= rule.min_targets)
            and standing.overdue <= rule.max_overdue
            and standing.unanswered <= rule.max_unanswered
        ):
            return grade
    return Grade.NOT_DONE


def rules_from(stored: Mapping | None) -> dict[Grade, GradeRule]:
    """The rules an organisation saved (``GradingRules.rules``), the defaults where it saved
    none."""
    stored = stored or {}
    return {
        grade: GradeRule(**stored[grade.value]) if grade.value in stored else rule
        for grade, rule in DEFAULT_RULES.items()
    }


def rules_data(rules: Mapping[Grade, GradeRule]) -> dict:
    """The rules as stored: plain data by grade."""
    return {grade.value: asdict(rule) for grade, rule in rules.items()}


def checked_rules(rules: Mapping[Grade, GradeRule]) -> dict[Grade, GradeRule]:
    """``rules`` if they make sense: shares between 0 and 100%, counts not negative, and each
    grade no easier to reach than the one below it; otherwise ``InvalidInput`` saying what."""
    order = (Grade.EXCELLENT, Grade.GOOD, Grade.DONE)
    for grade in order:
        rule = rules[grade]
        if not (0 <= rule.min_on_time <= 1 and 0 <= rule.min_targets <= 1):
            raise InvalidInput(N_("A share is between 0 and 100 per cent."))
        if rule.max_overdue < 0 or rule.max_unanswered < 0:
            raise InvalidInput(N_("A number of tasks cannot be negative."))
    for higher, lower in pairwise(order):
        a, b = rules[higher], rules[lower]
        if (
            a.min_on_time < b.min_on_time
            or a.min_targets < b.min_targets
            or a.max_overdue > b.max_overdue
            or a.max_unanswered > b.max_unanswered
        ):
            raise InvalidInput(
                N_("“%(higher)s” must be no easier to reach than “%(lower)s”."),
                higher=higher.label,
                lower=lower.label,
                labels=("higher", "lower"),
            )
    return dict(rules)
