"""The part a unit takes in duties it does not lead, counted apart from what it leads: the
contributions it owes as a coordinating unit (owed, sent on time, sent late, not sent and
overdue), and the duties it directs, is in overall charge of or takes part in, by role."""

from __future__ import annotations

import pytest

from tests.conftest import HISTORY_NOW, Q1, ROOT, SMALL_PLAN, at
from workflow.accountability.queries import accountability_by_unit, roles_apart
from workflow.clock import Clock
from workflow.errors import NotAllowed
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.plans.checks import parse_plan, read_plan
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.operations import start_task, submit_report

ELECTION = ROOT / "tests" / "plans" / "election-2026.yaml"
# The small plan's Q1 contributions to VI.2.1 are due on 10 March 17:00, the lead's on the 15th.
BEFORE_CONTRIBUTIONS_DUE = at("2026-03-01T08:00")
AFTER_CONTRIBUTIONS_DUE = at("2026-03-11T08:00")


def counts(rows):
    """Each unit's figures: contributions owed, sent on time, sent late, not sent and overdue;
    then the duties it directs, is in overall charge of, takes part in."""
    return {
        row.unit_code: (
            row.coordinating,
            row.contributed_on_time,
            row.contributed_late,
            row.contributions_overdue,
            row.directs,
            row.in_charge,
            row.takes_part,
        )
        for row in rows
    }


def test_coordinating_units_and_the_members_of_a_coordinating_group(session, ward, open_tasks):
    """VI.2.1 is UBND's; Ban Xây dựng Đảng and the group of cells (CB1, CB2) coordinate it:
    each owes a contribution, overdue once 10 March 17:00 has passed with nothing sent."""
    open_tasks("2026-Q1")
    assert counts(roles_apart(session, ward, Q1, BEFORE_CONTRIBUTIONS_DUE)) == {
        "BXDD": (1, 0, 0, 0, 0, 0, 0),
        "CB1": (1, 0, 0, 0, 0, 0, 0),
        "CB2": (1, 0, 0, 0, 0, 0, 0),
    }
    assert counts(roles_apart(session, ward, Q1, AFTER_CONTRIBUTIONS_DUE)) == {
        "BXDD": (1, 0, 0, 1, 0, 0, 0),
        "CB1": (1, 0, 0, 1, 0, 0, 0),
        "CB2": (1, 0, 0, 1, 0, 0, 0),
    }
    owed = {
        row.unit_code: (row.expected, row.overdue)
        for row in accountability_by_unit(session, ward, Q1, AFTER_CONTRIBUTIONS_DUE)
    }
    # contributions are not owed as the lead: one duty each, and only VI.1.7 (due 10 February)
    # is overdue; the contributions overdue since the 10th are not
    assert owed == {"UBND": (1, 0), "CB1": (1, 0), "CB2": (1, 0), "BXDD": (1, 1)}


def test_a_unit_does_not_coordinate_its_own_task(session):
    """When a cell leads a duty its group coordinates, only the other cell contributes to it."""
    text = SMALL_PLAN.read_text(encoding="utf-8").replace(
        "    lead: [UBND]\n    coordinating: [BXDD, TCD]",
        "    lead: [CB1]\n    coordinating: [TCD]",
    )
    load_plan(session, parse_plan(text), Clock())
    ward = find_organisation(session, "DU-TEST")
    open_quarter(session, ward, Q1, Clock())
    assert counts(roles_apart(session, ward, Q1, AFTER_CONTRIBUTIONS_DUE)) == {
        "CB2": (1, 0, 0, 1, 0, 0, 0)
    }


def test_every_role_of_an_election_plan(session):
    """Only coordinating owes a contribution; directing, overall charge and taking part are
    shown, never owed."""
    load_plan(session, read_plan(ELECTION), Clock())
    committee = find_organisation(session, "UBBC-TN")
    q1 = Quarter.parse("2026-Q1")
    open_quarter(session, committee, q1, Clock())
    assert counts(roles_apart(session, committee, q1, at("2026-01-05T08:00"))) == {
        "UBBC": (0, 0, 0, 0, 1, 0, 0),  # directs III.1, the voters' list
        "CA": (0, 0, 0, 0, 0, 0, 1),  # takes part in it
        "MTTQ": (1, 0, 0, 0, 0, 0, 0),  # coordinates III.2, the propaganda: a contribution
        "PCT-TT": (0, 0, 0, 0, 0, 1, 0),  # in overall charge of it
    }
    after = counts(roles_apart(session, committee, q1, at("2026-04-01T08:00")))
    assert after["MTTQ"] == (1, 0, 0, 1, 0, 0, 0)  # never sent: overdue
    assert after["CA"] == (0, 0, 0, 0, 0, 0, 1)  # what is not owed is never overdue


def test_a_contribution_sent_late_weighs_on_its_unit_never_on_the_lead(
    session, ward, open_tasks, make_user
):
    """CB1 sends its contribution to UBND's VI.2.1 on 12 March, two days after it was due;
    Ban Xây dựng Đảng sends its own on the 9th. CB1's late contribution is its own: counted
    late in its coordination, and no figure of accountability by unit moves, UBND's (the lead)
    nor CB1's (whose own duty is VI.4.1)."""
    task = open_tasks("2026-Q1")
    heads = {unit: make_user("unit_head", unit) for unit in ("CB1", "BXDD")}
    led_before = accountability_by_unit(session, ward, Q1, HISTORY_NOW)
    for unit, started, sent in (
        ("CB1", "2026-03-11T08:00", "2026-03-12T09:00"),
        ("BXDD", "2026-03-09T08:00", "2026-03-09T15:00"),
    ):
        head, contribution = heads[unit], task("VI.2.1", unit)
        contribution = start_task(
            session, head, contribution.id, contribution.version, now=at(started)
        )
        submit_report(
            session, head, contribution.id, contribution.version, "Đã phối hợp", now=at(sent)
        )
        session.commit()
    assert counts(roles_apart(session, ward, Q1, HISTORY_NOW)) == {
        "BXDD": (1, 1, 0, 0, 0, 0, 0),  # on time
        "CB1": (1, 0, 1, 0, 0, 0, 0),  # late, and no longer overdue: it was sent
        "CB2": (1, 0, 0, 1, 0, 0, 0),  # never sent
    }
    led_after = accountability_by_unit(session, ward, Q1, HISTORY_NOW)
    assert led_after == led_before
    ubnd = next(row for row in led_after if row.unit_code == "UBND")
    assert (ubnd.expected, ubnd.reported, ubnd.overdue) == (1, 0, 1)  # its own duty, not sent


def test_only_those_who_see_accountability_see_roles(session, ward, make_user):
    head = make_user("unit_head", "UBND")
    with pytest.raises(NotAllowed):
        roles_apart(session, ward, Q1, HISTORY_NOW, viewer=head)


def test_a_group_that_takes_part_counts_for_each_of_its_members(session):
    """VI.2.1 stays UBND's; the group of cells takes part in it instead of coordinating: each
    cell is shown taking part, the group itself is no row, and nothing is owed."""
    text = (
        SMALL_PLAN.read_text(encoding="utf-8")
        .replace("format: 1\n", "format: 2\n")
        .replace("    coordinating: [BXDD, TCD]", "    takes_part: [TCD]")
    )
    load_plan(session, parse_plan(text), Clock())
    ward = find_organisation(session, "DU-TEST")
    open_quarter(session, ward, Q1, Clock())
    assert counts(roles_apart(session, ward, Q1, AFTER_CONTRIBUTIONS_DUE)) == {
        "CB1": (0, 0, 0, 0, 0, 0, 1),
        "CB2": (0, 0, 0, 0, 0, 0, 1),
    }
