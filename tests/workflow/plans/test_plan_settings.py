"""The plan's one-number settings (``defaults``): how many extensions of a due date a plan
allows per task, and how many days before the lead's due day a coordinating unit's contribution
is due; read from the file, checked, and kept when the plan is written back as a file."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import SMALL_PLAN
from tests.workflow.plans.test_checks import edited, problems_of
from workflow.plans.checks import parse_plan
from workflow.plans.file_form import file_form
from workflow.plans.schema import plan_setting

# setting, its default, a value it may take, its most
SETTINGS = [("extensions_per_task", 1, 3, 10), ("contribution_days_before", 5, 10, 60)]
names = pytest.mark.parametrize(("name", "default", "other", "most"), SETTINGS)


def with_setting(name: str, value) -> str:
    return edited(("defaults:\n", f"defaults:\n  {name}: {value}\n"))


@names
def test_a_plan_that_says_nothing_gets_the_default(name, default, other, most):
    plan = parse_plan(SMALL_PLAN.read_text(encoding="utf-8"), "plan.yaml")
    assert plan["defaults"][name] == default
    assert plan_setting(plan, name) == default


@names
def test_a_plan_loaded_before_the_setting_existed_gets_the_default(name, default, other, most):
    assert plan_setting({"defaults": {"report_due": {}}}, name) == default
    assert plan_setting({}, name) == default


@names
def test_a_plan_may_say_its_own(name, default, other, most):
    for value in (0, other, most):
        assert plan_setting(parse_plan(with_setting(name, value), "plan.yaml"), name) == value


@names
def test_a_wrong_number_is_refused_where_it_is_written(name, default, other, most):
    for value, phrase in [
        (-1, "must be at least 0"),
        (most + 1, f"must be at most {most}"),
        ("hai", "must be a whole number"),
    ]:
        [problem] = problems_of(with_setting(name, value))
        assert (problem.line, problem.field) == (10, f"defaults.{name}")
        assert phrase in problem.format()


@names
def test_writing_the_plan_back_keeps_a_setting_that_is_not_the_default(name, default, other, most):
    """Next year's plan starts from this year's file form: a plan that forbids extensions must
    not start allowing them, and the default is not written out."""
    for value, written in [(0, 0), (other, other), (default, None)]:
        plan = parse_plan(with_setting(name, value), "plan.yaml")
        data = file_form(plan)
        assert data["defaults"].get(name) == written
        again = parse_plan(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "a.yaml")
        assert plan_setting(again, name) == value


@names
def test_a_loaded_plan_of_an_earlier_release_is_written_back_without_it(name, default, other, most):
    plan = parse_plan(SMALL_PLAN.read_text(encoding="utf-8"), "plan.yaml")
    del plan["defaults"][name]
    assert name not in file_form(plan)["defaults"]
