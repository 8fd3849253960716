"""``defaults.extensions_per_task``: how many extensions of a due date a plan allows per task,
read from the file, checked, and kept when the plan is written back as a file."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import SMALL_PLAN
from tests.workflow.plans.test_checks import edited, problems_of
from workflow.plans.checks import parse_plan
from workflow.plans.file_form import file_form
from workflow.plans.schema import extensions_per_task

SETTING = ("defaults:\n", "defaults:\n  extensions_per_task: {}\n")


def with_setting(value) -> str:
    return edited((SETTING[0], SETTING[1].format(value)))


def test_a_plan_that_says_nothing_allows_one():
    plan = parse_plan(SMALL_PLAN.read_text(encoding="utf-8"), "plan.yaml")
    assert plan["defaults"]["extensions_per_task"] == 1
    assert extensions_per_task(plan) == 1


def test_a_plan_loaded_before_the_setting_existed_allows_one():
    assert extensions_per_task({"defaults": {"report_due": {}}}) == 1
    assert extensions_per_task({}) == 1


@pytest.mark.parametrize("value", [0, 2, 10])
def test_a_plan_may_say_how_many(value):
    plan = parse_plan(with_setting(value), "plan.yaml")
    assert extensions_per_task(plan) == value


@pytest.mark.parametrize(
    ("value", "phrase"),
    [(-1, "must be at least 0"), (11, "must be at most 10"), ("hai", "must be a whole number")],
)
def test_a_wrong_number_is_refused_where_it_is_written(value, phrase):
    [problem] = problems_of(with_setting(value))
    assert (problem.line, problem.field) == (10, "defaults.extensions_per_task")
    assert phrase in problem.format()


@pytest.mark.parametrize(("value", "written"), [(0, 0), (3, 3), (1, None)])
def test_writing_the_plan_back_keeps_a_setting_that_is_not_the_default(value, written):
    """Next year's plan starts from this year's file form: a plan that forbids extensions must
    not start allowing them, and the default is not written out."""
    plan = parse_plan(with_setting(value), "plan.yaml")
    data = file_form(plan)
    assert data["defaults"].get("extensions_per_task") == written
    again = parse_plan(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "again.yaml")
    assert extensions_per_task(again) == value


def test_a_loaded_plan_of_an_earlier_release_is_written_back_without_the_setting():
    plan = parse_plan(SMALL_PLAN.read_text(encoding="utf-8"), "plan.yaml")
    del plan["defaults"]["extensions_per_task"]
    assert "extensions_per_task" not in file_form(plan)["defaults"]
