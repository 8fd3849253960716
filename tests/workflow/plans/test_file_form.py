"""A loaded plan written back as a plan file reads as the same plan; moved to next year, every
date moves and a deadline tied to a milestone stays tied to it."""

import pytest

from tests.conftest import ROOT, SMALL_PLAN, VIET_HUNG_PLAN
from workflow.plans.checks import parse_plan, read_plan
from workflow.plans.file_form import file_form, next_year
from workflow.plans.importer.draft import Draft
from workflow.plans.importer.yaml_writer import draft_yaml

ELECTION = ROOT / "tests" / "plans" / "election-2026.yaml"
PLANS = [
    VIET_HUNG_PLAN,
    SMALL_PLAN,
    ELECTION,
    ROOT / "docs" / "examples" / "chuyen-doi-so-2026.yaml",
]


def as_file(data: dict) -> str:
    return draft_yaml(Draft(data))


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_a_loaded_plan_written_back_is_the_same_plan(path):
    plan = read_plan(path)
    again = parse_plan(as_file(file_form(plan)))
    assert again | {"format": plan["format"]} == plan


def test_a_deadline_counted_from_a_milestone_is_written_as_counted():
    duties = {r["ref"]: r for r in file_form(read_plan(ELECTION))["responsibilities"]}
    assert duties["III.1"]["cadence"] == {
        "kind": "once",
        "due": {"milestone": "BAU-CU", "days_before": 40},
    }
    assert duties["III.5"]["cadence"] == {"kind": "once", "due": "2026-04"}  # a month alone


def test_next_year_moves_every_date_and_keeps_deadlines_on_their_milestones():
    moved = parse_plan(as_file(next_year(file_form(read_plan(ELECTION)))))
    assert moved["plan"]["code"] == "BC-2027"
    assert moved["plan"]["period"] == {"start": "2026-12-01", "end": "2027-04-30"}
    assert moved["plan"]["number"] is None and moved["plan"]["issued_on"] is None
    assert moved["milestones"][0]["date"] == "2027-03-15"
    duties = {r["ref"]: r for r in moved["responsibilities"]}
    assert duties["III.1"]["cadence"] == {
        "kind": "once",
        "due": "2027-02-03T07:00",
        "milestone": "BAU-CU",
    }
    assert duties["III.2"]["cadence"]["start"] == "2026-12-01"  # from tháng 12/2025, a year on
