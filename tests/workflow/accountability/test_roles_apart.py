"""The part a unit takes in tasks it does not owe (coordinating, directing, in overall charge,
taking part): counted apart, by role, never in what the unit owes."""

from __future__ import annotations

import pytest

from tests.conftest import Q1, ROOT, SMALL_PLAN
from workflow.accountability.queries import accountability_by_unit, roles_apart
from workflow.clock import Clock
from workflow.errors import NotAllowed
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.plans.checks import parse_plan, read_plan
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan

ELECTION = ROOT / "tests" / "plans" / "election-2026.yaml"


def counts(rows):
    return {
        row.unit_code: (row.coordinating, row.directs, row.in_charge, row.takes_part)
        for row in rows
    }


def test_coordinating_units_and_the_members_of_a_coordinating_group(session, ward, open_tasks):
    """VI.2.1 is UBND's; Ban Xây dựng Đảng and the group of cells (CB1, CB2) coordinate it."""
    open_tasks("2026-Q1")
    assert counts(roles_apart(session, ward, Q1)) == {
        "BXDD": (1, 0, 0, 0),
        "CB1": (1, 0, 0, 0),
        "CB2": (1, 0, 0, 0),
    }
    owed = {
        row.unit_code: row.expected
        for row in accountability_by_unit(session, ward, Q1, Clock().now())
    }
    assert owed == {"UBND": 1, "CB1": 1, "CB2": 1, "BXDD": 1}  # coordination is not owed


def test_a_unit_does_not_coordinate_its_own_task(session):
    """When a cell leads a duty its group coordinates, only the other cell counts it."""
    text = SMALL_PLAN.read_text(encoding="utf-8").replace(
        "    lead: [UBND]\n    coordinating: [BXDD, TCD]",
        "    lead: [CB1]\n    coordinating: [TCD]",
    )
    load_plan(session, parse_plan(text), Clock())
    ward = find_organisation(session, "DU-TEST")
    open_quarter(session, ward, Q1, Clock())
    assert counts(roles_apart(session, ward, Q1)) == {"CB2": (1, 0, 0, 0)}


def test_every_role_of_an_election_plan(session):
    load_plan(session, read_plan(ELECTION), Clock())
    committee = find_organisation(session, "UBBC-TN")
    open_quarter(session, committee, Quarter.parse("2026-Q1"), Clock())
    assert counts(roles_apart(session, committee, Quarter.parse("2026-Q1"))) == {
        "UBBC": (0, 1, 0, 0),  # directs III.1, the voters' list
        "CA": (0, 0, 0, 1),  # takes part in it
        "MTTQ": (1, 0, 0, 0),  # coordinates III.2, the propaganda
        "PCT-TT": (0, 0, 1, 0),  # in overall charge of it
    }


def test_only_those_who_see_accountability_see_roles(session, ward, make_user):
    head = make_user("unit_head", "UBND")
    with pytest.raises(NotAllowed):
        roles_apart(session, ward, Q1, viewer=head)
