"""Who may open what: every page, export, feed and administration, asked of the engine as each
role would ask it.

The expected answers are written out below from DESIGN.md, never read from
``workflow.permissions``: a wrong grant in the engine must make these tests fail. Each service is
called for real, so a service that forgot to ask is caught too.
"""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_PLAN, at
from workflow.accountability.evaluation import confirm_grade, save_grading_rules
from workflow.accountability.grading import DEFAULT_RULES
from workflow.accountability.queries import accountability_by_unit, rates_by_quarter, tasks_behind
from workflow.accountability.rollup import rollup
from workflow.accountability.year import unit_year, year_overview
from workflow.accounts.queries import list_users
from workflow.clock import Clock
from workflow.errors import NotAllowed
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit, unit_overview
from workflow.outbox.queries import admin_messages
from workflow.periods import Quarter
from workflow.permissions import Access, may
from workflow.plans.checks import read_plan
from workflow.plans.drafts import copy_plan, drafts_of, plans_to_copy
from workflow.plans.queries import loaded_plans
from workflow.plans.store import load_plan
from workflow.reporting.exports import quarterly_file
from workflow.reporting.quarterly import quarterly_report
from workflow.targets.queries import plans_with_targets
from workflow.tasks.review import queue_choices, review_queue

Q1 = Quarter(2026, 1)
NOW = at("2026-03-20T09:00")
ROLES = [
    ("admin", None),
    ("leader", None),
    ("reviewer", None),
    ("unit_head", "UBND"),
    ("member", "CB1"),
]
WARD_WIDE = {"admin", "leader", "reviewer"}
# DESIGN.md: leaders, reviewers and admins see the figures and the reports; the reviewer's
# queue is read by all three (only a reviewer decides); administration and the outbox are the
# admin's; a unit head previews their own unit's reminders, the ward-wide roles any unit's;
# plans are drafted from their documents and published by the admin and Ban Xây dựng Đảng.
EXPECTED = {
    Access.ACCOUNTABILITY: WARD_WIDE,
    Access.PLAN_PROGRESS: WARD_WIDE,
    Access.REPORTS: WARD_WIDE,
    Access.REVIEW_QUEUE: WARD_WIDE,
    Access.ADMINISTRATION: {"admin"},
    Access.PLAN_DRAFTS: {"admin", "reviewer"},
    Access.OUTBOX: {"admin"},
    Access.REMINDER_PREVIEW: WARD_WIDE | {"unit_head"},
    # Everyone sees the targets and the ward's figures; each unit's figures are the ward-wide
    # roles' (a unit head sees their own); leaders and Ban Xây dựng Đảng ask for explanations.
    Access.TARGETS: WARD_WIDE | {"unit_head", "member"},
    Access.TARGET_BREAKDOWN: WARD_WIDE,
    Access.EXPLANATION_REQUESTS: {"leader", "reviewer"},
    # The year-end evaluation: any unit's year for the ward-wide roles (a unit head their own,
    # ``may_see_unit_year``); the Standing Committee grades; the office sets the rules.
    Access.UNIT_YEAR: WARD_WIDE,
    Access.GRADE_CONFIRMATION: {"leader"},
    Access.GRADING_RULES: {"admin"},
    # The communes below are read by the overseers of a city, a province or the nation, who
    # cannot be a ward's users (``tests/workflow/accountability/test_rollup.py``).
    Access.ROLLUP: set(),
}

# What each access opens in the engine: a call refused (NotAllowed) to whoever may not.
OPENS = {
    Access.ACCOUNTABILITY: [
        lambda s, ward, user: accountability_by_unit(s, ward, Q1, NOW, viewer=user),
        lambda s, ward, user: rates_by_quarter(s, ward, 2026, NOW, viewer=user),
        lambda s, ward, user: tasks_behind(s, ward, Q1, "overdue", NOW, viewer=user),
    ],
    Access.REPORTS: [
        lambda s, ward, user: quarterly_report(s, ward, Q1, Clock.at(NOW), viewer=user),
        lambda s, ward, user: quarterly_file(s, ward, Q1, "xlsx", Clock.at(NOW), viewer=user),
    ],
    Access.REVIEW_QUEUE: [
        lambda s, ward, user: review_queue(s, user, NOW),
        lambda s, ward, user: queue_choices(s, user),
    ],
    Access.ADMINISTRATION: [
        lambda s, ward, user: list_users(s, user),
        lambda s, ward, user: unit_overview(s, user),
        lambda s, ward, user: loaded_plans(s, user),
    ],
    Access.OUTBOX: [lambda s, ward, user: admin_messages(s, user)],
    Access.UNIT_YEAR: [
        lambda s, ward, user: year_overview(s, ward, 2026, Clock.at(NOW), viewer=user),
        lambda s, ward, user: unit_year(
            s, ward, find_unit(s, ward, "BXDD"), 2026, Clock.at(NOW), viewer=user
        ),
    ],
    Access.GRADE_CONFIRMATION: [
        lambda s, ward, user: confirm_grade(
            s, user, ward, find_unit(s, ward, "BXDD"), 2026, "done", "Lý do", clock=Clock.at(NOW)
        )
    ],
    Access.GRADING_RULES: [
        lambda s, ward, user: save_grading_rules(s, user, dict(DEFAULT_RULES), clock=Clock.at(NOW))
    ],
    Access.TARGETS: [lambda s, ward, user: plans_with_targets(s, user)],
    Access.ROLLUP: [lambda s, ward, user: rollup(s, user, "commune", Q1, NOW)],
    Access.PLAN_DRAFTS: [
        lambda s, ward, user: drafts_of(s, user),
        lambda s, ward, user: plans_to_copy(s, user),
        lambda s, ward, user: copy_plan(s, user, "TN-2026", NOW),
    ],
}


@pytest.mark.parametrize("access", list(Access))
@pytest.mark.parametrize(("role", "unit"), ROLES, ids=[role for role, _unit in ROLES])
def test_who_may_open_what(session, make_user, access, role, unit):
    assert may(make_user(role, unit), access) is (role in EXPECTED[access])


def test_every_access_is_written_out_above():
    assert set(EXPECTED) == set(Access)


@pytest.mark.parametrize("access", list(OPENS))
@pytest.mark.parametrize(("role", "unit"), ROLES, ids=[role for role, _unit in ROLES])
def test_the_engine_asks_before_it_opens_anything(
    session, ward, open_tasks, make_user, access, role, unit
):
    """Each call is answered for those who may open it and refused to everyone else."""
    open_tasks("2026-Q1")
    user = make_user(role, unit)
    for opens in OPENS[access]:
        if role in EXPECTED[access]:
            opens(session, ward, user)
        else:
            with pytest.raises(NotAllowed):
                opens(session, ward, user)
        session.rollback()


@pytest.mark.parametrize("access", list(Access))
def test_an_inactive_user_may_open_nothing(session, make_user, access):
    user = make_user("admin")
    user.active = False
    assert not may(user, access)


def test_another_organisations_leader_may_not_see_this_ward(session, ward, load, make_user):
    """A leader of one ward reading another ward's figures or report is refused."""
    leader = make_user("leader")
    other = load_plan(
        session, read_plan(SMALL_PLAN) | {"organisation": _other_organisation()}, Clock()
    )
    session.commit()
    other_ward = session.get(Organisation, other.plan.organisation_id)
    with pytest.raises(NotAllowed):
        accountability_by_unit(session, other_ward, Q1, NOW, viewer=leader)
    with pytest.raises(NotAllowed):
        quarterly_report(session, other_ward, Q1, Clock.at(NOW), viewer=leader)


def _other_organisation() -> dict:
    return {"code": "DU-KHAC", "name": "Đảng bộ phường Khác", "kind": "party", "place": "Khác"}
