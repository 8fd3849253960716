"""What an administrator may do (users, plans, quarters), and that nobody else may do any of it.

Every refusal must leave the database exactly as it was; an admin reaches only the users of
their own organisation.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from tests.conftest import PASSWORD, Q1_CONTRIBUTIONS, Q1_DUTIES, Q1_TASKS, SMALL_PLAN, real_now
from workflow.accounts.models import User
from workflow.accounts.operations import (
    add_user,
    create_user,
    reset_password,
    set_active,
    set_role_and_unit,
)
from workflow.accounts.passwords import check_password
from workflow.accounts.queries import list_users, managed_user
from workflow.accounts.roles import Role
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.queries import member_units, unit_overview
from workflow.periods import Quarter
from workflow.plans.checks import PlanInvalid, parse_plan
from workflow.plans.models import Plan, Responsibility
from workflow.plans.operations import load_plan_file, open_quarter_for
from workflow.plans.queries import loaded_plans, quarters_to_open
from workflow.plans.store import load_plan
from workflow.tasks.models import Task

SMALL_TEXT = SMALL_PLAN.read_text(encoding="utf-8")
NEW_PASSWORD = "mat-khau-moi-2026"
OTHER_ROLES = [
    pytest.param("leader", None, id="leader"),
    pytest.param("reviewer", None, id="reviewer"),
    pytest.param("unit_head", "UBND", id="unit_head"),
    pytest.param("member", "CB1", id="member"),
]


def edited(old: str, new: str) -> str:
    assert SMALL_TEXT.count(old) == 1
    return SMALL_TEXT.replace(old, new)


# One entry per action: how an actor fires it at ``target``, a user of the ward.
ACTIONS = {
    "create_user": lambda s, actor, target: create_user(
        s,
        actor,
        username="moi",
        full_name="Người Mới",
        email="moi@example.vn",
        role="member",
        unit_code="CB1",
        password=PASSWORD,
        now=real_now(),
    ),
    "disable": lambda s, actor, target: set_active(s, actor, target.id, False, now=real_now()),
    "reset_password": lambda s, actor, target: reset_password(s, actor, target.id, NEW_PASSWORD),
    "set_role_and_unit": lambda s, actor, target: set_role_and_unit(
        s, actor, target.id, "unit_head", "CB2", now=real_now()
    ),
    "load_plan_file": lambda s, actor, target: load_plan_file(
        s,
        actor,
        edited("title: Quán triệt Nghị quyết", "title: Quán triệt"),
        "ward.yaml",
        Clock(),
    ),
    "open_quarter_for": lambda s, actor, target: open_quarter_for(
        s, actor, Quarter(2026, 1), Clock()
    ),
}
READS = {
    "managed_user": lambda s, actor, target: managed_user(s, actor, target.id),
    "list_users": lambda s, actor, target: list_users(s, actor),
    "member_units": lambda s, actor, target: member_units(s, actor),
    "unit_overview": lambda s, actor, target: unit_overview(s, actor),
    "loaded_plans": lambda s, actor, target: loaded_plans(s, actor),
    "quarters_to_open": lambda s, actor, target: quarters_to_open(s, actor, date(2026, 3, 2)),
}


def snapshot(session) -> dict:
    """Everything an administration action could change."""
    session.expire_all()
    return {
        "users": session.exec(
            select(
                User.username, User.role, User.unit_id, User.active, User.password_hash
            ).order_by(User.id)
        ).all(),
        "plans": session.exec(select(Plan.code, Plan.digest).order_by(Plan.id)).all(),
        "titles": session.exec(select(Responsibility.title).order_by(Responsibility.id)).all(),
        "tasks": session.exec(select(func.count()).select_from(Task)).one(),
        "organisations": session.exec(select(func.count()).select_from(Organisation)).one(),
    }


@pytest.fixture
def other_ward(session, ward):
    """A second organisation (the small plan under another code) with its own admin."""
    load_plan(session, parse_plan(SMALL_TEXT.replace("DU-TEST", "DU-KHAC"), "khac.yaml"), Clock())
    organisation = session.exec(select(Organisation).where(Organisation.code == "DU-KHAC")).one()
    other_admin = add_user(
        session, organisation, "quantri-khac", "admin", "qt@khac.vn", PASSWORD, now=real_now()
    )
    session.commit()
    return other_admin


def replaced(rows: list, target: User, **changes) -> list:
    """The users of a ``visible`` snapshot, ``target``'s row changed as given."""
    fields = ("username", "role", "unit_id", "active")
    return [
        tuple(changes.get(f, v) for f, v in zip(fields, row, strict=True))
        if row[0] == target.username
        else row
        for row in rows
    ]


# What each action leaves, written out from what was there before (``visible`` of it), the
# target and the ward's unit ids by code.
EFFECTS = {
    "create_user": lambda before, target, units: {
        **before,
        "users": [*before["users"], ("moi", "member", units["CB1"], True)],
    },
    "disable": lambda before, target, units: {
        **before,
        "users": replaced(before["users"], target, active=False),
    },
    "reset_password": lambda before, target, units: before,  # only the password: see below
    "set_role_and_unit": lambda before, target, units: {
        **before,
        "users": replaced(before["users"], target, role="unit_head", unit_id=units["CB2"]),
    },
    "load_plan_file": lambda before, target, units: {
        **before,
        "titles": [
            "Quán triệt" if title == "Quán triệt Nghị quyết" else title
            for title in before["titles"]
        ],
    },
    # the small plan's Q1: the duties the units lead and the contributions to VI.2.1
    "open_quarter_for": lambda before, target, units: {**before, "tasks": len(Q1_TASKS)},
}


def visible(snapshot: dict) -> dict:
    """A snapshot without what nobody reads (password hashes, digests): those are checked by
    signing in."""
    return {
        **snapshot,
        "users": [tuple(row[:4]) for row in snapshot["users"]],
        "plans": [code for code, _digest in snapshot["plans"]],
    }


@pytest.mark.parametrize("action", ACTIONS)
def test_an_admin_can_do_each_action(session, make_user, action):
    """Does each administration action, done by an admin, make exactly its change and no
    other?"""
    actor, target = make_user("admin"), make_user("member", "CB1")
    units = {row.unit.code: row.unit.id for row in unit_overview(session, actor)}
    before = snapshot(session)
    assert before["tasks"] == 0 and "Quán triệt Nghị quyết" in before["titles"]
    ACTIONS[action](session, actor, target)
    session.commit()
    after = snapshot(session)
    assert visible(after) == EFFECTS[action](visible(before), target, units)
    old_hashes = {row[0]: row[4] for row in before["users"]}
    new_passwords = {row[0] for row in after["users"] if old_hashes.get(row[0], row[4]) != row[4]}
    if action == "reset_password":
        assert new_passwords == {target.username}
        assert check_password(session, target.username, PASSWORD) is None
        assert check_password(session, target.username, NEW_PASSWORD).id == target.id
    else:
        assert new_passwords == set()
    if action == "create_user":
        assert check_password(session, "moi", PASSWORD).username == "moi"


def test_every_action_has_its_effect_written_out():
    """Is any administration action left without the change it must make?"""
    assert set(EFFECTS) == set(ACTIONS)


@pytest.mark.parametrize("action", [*ACTIONS, *READS])
@pytest.mark.parametrize(("role", "unit"), OTHER_ROLES)
def test_nobody_but_an_admin_may_administer(session, make_user, role, unit, action):
    """Can a leader, reviewer, unit head or member do (or see) anything of the admin's?"""
    actor, target = make_user(role, unit), make_user("member", "CB1")
    before = snapshot(session)
    with pytest.raises(NotAllowed):
        {**ACTIONS, **READS}[action](session, actor, target)
    session.rollback()
    assert snapshot(session) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_a_disabled_admin_may_not_administer(session, make_user, action):
    """Does an admin whose account was disabled keep any power?"""
    actor, target = make_user("admin"), make_user("member", "CB1")
    actor.active = False
    session.add(actor)
    session.commit()
    before = snapshot(session)
    with pytest.raises(NotAllowed):
        ACTIONS[action](session, actor, target)
    session.rollback()
    assert snapshot(session) == before


@pytest.mark.parametrize("action", ["disable", "reset_password", "set_role_and_unit"])
def test_an_admin_cannot_touch_another_organisations_users(session, make_user, other_ward, action):
    """Can the admin of another ward change our users by guessing their ids?"""
    target = make_user("member", "CB1")
    before = snapshot(session)
    with pytest.raises(NotFound):
        ACTIONS[action](session, other_ward, target)
    session.rollback()
    assert snapshot(session) == before
    with pytest.raises(NotFound):
        managed_user(session, other_ward, target.id)


def test_an_admin_lists_only_their_own_organisation(session, make_user, other_ward):
    """Does the user list of one ward show the people of another?"""
    ours = make_user("admin")
    assert [user.username for user, unit in list_users(session, ours)] == [ours.username]
    assert [user.username for user, unit in list_users(session, other_ward)] == ["quantri-khac"]


def test_a_new_user_can_sign_in_with_the_initial_password(session, make_user):
    """Is a user made by the admin a working account, in the admin's organisation?"""
    actor = make_user("admin")
    user = create_user(
        session,
        actor,
        username="bithu.cb1",
        full_name="Nguyễn Văn Bí",
        email="bithu@example.vn",
        role="unit_head",
        unit_code="CB1",
        password=NEW_PASSWORD,
        now=real_now(),
    )
    session.commit()
    assert user.organisation_id == actor.organisation_id
    assert check_password(session, "bithu.cb1", NEW_PASSWORD).id == user.id


@pytest.mark.parametrize(
    ("role", "unit_code", "phrase"),
    [
        ("unit_head", None, "must belong to a unit"),
        ("member", "TCD", "is a group"),
        ("unit_head", "KHONG-CO", "There is no unit KHONG-CO"),
        ("chairman", None, "Unknown role"),
    ],
)
def test_a_new_user_needs_a_role_and_a_real_unit(session, make_user, role, unit_code, phrase):
    """Is a unit head without a unit, or in a group, refused with the reason?"""
    actor = make_user("admin")
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        create_user(
            session,
            actor,
            username="moi",
            full_name="",
            email="moi@example.vn",
            role=role,
            unit_code=unit_code,
            password=PASSWORD,
            now=real_now(),
        )
    assert phrase in str(refused.value)
    session.rollback()
    assert snapshot(session) == before


def test_a_disabled_user_cannot_sign_in_until_enabled(session, make_user):
    actor, user = make_user("admin"), make_user("unit_head", "UBND")
    set_active(session, actor, user.id, False, now=real_now())
    session.commit()
    assert check_password(session, user.username, PASSWORD) is None
    set_active(session, actor, user.id, True, now=real_now())
    session.commit()
    assert check_password(session, user.username, PASSWORD) is not None


def test_an_admin_cannot_disable_themselves(session, make_user):
    """Could the last admin lock everyone out by disabling their own account?"""
    actor = make_user("admin")
    with pytest.raises(InvalidInput, match="your own account"):
        set_active(session, actor, actor.id, False, now=real_now())
    session.rollback()
    session.refresh(actor)
    assert actor.active


def test_an_admin_cannot_take_away_their_own_admin_role(session, make_user):
    actor = make_user("admin")
    with pytest.raises(InvalidInput, match="your own administrator role"):
        set_role_and_unit(session, actor, actor.id, "unit_head", "UBND", now=real_now())
    session.rollback()
    session.refresh(actor)
    assert actor.role == Role.ADMIN


def test_an_admin_may_disable_and_demote_another_admin(session, make_user):
    actor, other = make_user("admin"), make_user("admin")
    set_role_and_unit(session, actor, other.id, "reviewer", None, now=real_now())
    set_active(session, actor, other.id, False, now=real_now())
    session.commit()
    session.refresh(other)
    assert (other.role, other.active) == ("reviewer", False)


def test_a_reset_password_replaces_the_old_one(session, make_user):
    actor, user = make_user("admin"), make_user("unit_head", "UBND")
    reset_password(session, actor, user.id, NEW_PASSWORD)
    session.commit()
    assert check_password(session, user.username, PASSWORD) is None
    assert check_password(session, user.username, NEW_PASSWORD) is not None


def test_a_reset_password_must_be_long_enough(session, make_user):
    actor, user = make_user("admin"), make_user("unit_head", "UBND")
    with pytest.raises(InvalidInput, match="at least 8"):
        reset_password(session, actor, user.id, "ngan")
    session.rollback()
    assert check_password(session, user.username, PASSWORD) is not None


def test_making_someone_a_head_and_then_a_reviewer(session, make_user):
    """A head is assigned by role and unit; a role without a unit leaves the unit."""
    actor, user = make_user("admin"), make_user("member", "CB1")
    set_role_and_unit(session, actor, user.id, "unit_head", "CB2", now=real_now())
    session.commit()
    heads = {row.unit.code: row.heads for row in unit_overview(session, actor)}
    assert [head.id for head in heads["CB2"]] == [user.id]
    set_role_and_unit(session, actor, user.id, "reviewer", "CB2", now=real_now())
    session.commit()
    session.refresh(user)
    assert (user.role, user.unit_id) == ("reviewer", None)


@pytest.mark.parametrize(
    ("role", "unit_code", "phrase"),
    [
        ("unit_head", None, "must belong to a unit"),
        ("unit_head", "TCD", "is a group"),
        ("member", "KHONG-CO", "There is no unit KHONG-CO"),
        ("chairman", "CB1", "Unknown role"),
    ],
)
def test_a_role_change_needs_a_real_unit(session, make_user, role, unit_code, phrase):
    actor, user = make_user("admin"), make_user("member", "CB1")
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        set_role_and_unit(session, actor, user.id, role, unit_code, now=real_now())
    assert phrase in str(refused.value)
    session.rollback()
    assert snapshot(session) == before


def test_a_unit_of_another_organisation_cannot_be_given(session, make_user, other_ward):
    """Units are looked up in the admin's organisation only, even with the same code."""
    user = create_user(
        session,
        other_ward,
        username="bithu.khac",
        full_name="",
        email="bt@khac.vn",
        role="unit_head",
        unit_code="CB1",
        password=PASSWORD,
        now=real_now(),
    )
    session.commit()
    ours = make_user("member", "CB1")
    assert user.unit_id != ours.unit_id


def test_the_units_overview_shows_groups_heads_and_members(session, make_user):
    actor = make_user("admin")
    head = make_user("unit_head", "CB1")
    make_user("member", "CB1")
    make_user("member", "CB1")
    gone = make_user("unit_head", "CB1")
    set_active(session, actor, gone.id, False, now=real_now())
    session.commit()
    rows = {row.unit.code: row for row in unit_overview(session, actor)}
    assert [head.id] == [user.id for user in rows["CB1"].heads]
    assert rows["CB1"].member_count == 2
    assert [group.code for group in rows["CB1"].groups] == ["TCD"]
    assert [unit.code for unit in rows["TCD"].members] == ["CB1", "CB2"]
    assert rows["UBND"].heads == [] and rows["UBND"].member_count == 0
    assert [unit.code for unit in member_units(session, actor)] == [
        "BXDD",
        "CB1",
        "CB2",
        "UBND",
    ]


def test_loading_an_edited_plan_reports_what_changed(session, make_user):
    actor = make_user("admin")
    text = edited("title: Quán triệt Nghị quyết", "title: Quán triệt Nghị quyết 57")
    result = load_plan_file(session, actor, text.encode("utf-8"), "ward.yaml", Clock())
    assert result.changed and result.updated == {"responsibilities": 1}
    session.commit()
    again = load_plan_file(session, actor, text, "ward.yaml", Clock())
    assert not again.changed


def test_a_malformed_plan_file_is_located_and_loads_nothing(session, make_user):
    """Does a plan with mistakes name each one by file, line and field, and load none of it?"""
    actor = make_user("admin")
    text = edited("    lead: [TCD]\n", "    lead: [KHONG-CO]\n").replace(
        "code: TN-2026", "code: TN-2027"
    )
    before = snapshot(session)
    with pytest.raises(PlanInvalid) as invalid:
        load_plan_file(session, actor, text, "ke-hoach.yaml", Clock())
    assert [problem.format() for problem in invalid.value.problems] == [
        "ke-hoach.yaml:34: responsibilities[VI.4.1].lead[1]: "
        "KHONG-CO is not a unit or group of this plan"
    ]
    session.rollback()
    assert snapshot(session) == before


def test_a_plan_file_must_be_utf8(session, make_user):
    actor = make_user("admin")
    with pytest.raises(PlanInvalid) as invalid:
        load_plan_file(session, actor, SMALL_TEXT.encode("utf-16"), "cu.yaml", Clock())
    assert invalid.value.problems[0].format() == "cu.yaml:1: -: the file is not UTF-8 text"


def test_an_admin_cannot_load_another_organisations_plan(session, make_user):
    """Could an admin create or rewrite another ward's plan by uploading its file?"""
    actor = make_user("admin")
    before = snapshot(session)
    with pytest.raises(InvalidInput, match="DU-KHAC"):
        load_plan_file(
            session, actor, SMALL_TEXT.replace("DU-TEST", "DU-KHAC"), "khac.yaml", Clock()
        )
    session.rollback()
    assert snapshot(session) == before


def test_opening_a_quarter_twice_creates_its_tasks_once(session, make_user):
    actor = make_user("admin")
    first = open_quarter_for(session, actor, Quarter(2026, 1), Clock())
    session.commit()
    second = open_quarter_for(session, actor, Quarter(2026, 1), Clock())
    # one task per lead unit of each duty, one contribution per coordinating unit of VI.2.1
    assert (first.created, first.existing) == (len(Q1_TASKS), 0)
    assert (second.created, second.existing) == (0, len(Q1_TASKS))
    opened = session.exec(
        select(Responsibility.ref, Unit.code, Task.kind)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
    ).all()
    assert len(opened) == len(Q1_TASKS)  # none twice
    assert {(ref, unit) for ref, unit, kind in opened if kind == "duty"} == Q1_DUTIES
    assert {(ref, unit) for ref, unit, kind in opened if kind == "contribution"} == (
        Q1_CONTRIBUTIONS
    )


def test_an_admin_opens_only_their_own_organisations_quarter(session, make_user, other_ward):
    open_quarter_for(session, other_ward, Quarter(2026, 1), Clock())
    session.commit()
    ward_plan = session.exec(
        select(Plan.id).join(Organisation).where(Organisation.code == "DU-TEST")
    ).one()
    assert session.exec(select(func.count()).where(Task.plan_id == ward_plan)).one() == 0


def test_the_quarters_offered_are_the_plans_and_the_current_one(session, make_user):
    """On 1 February 2027 the 2026 plan's quarters are offered, and the current one after them."""
    quarters, current = quarters_to_open(session, make_user("admin"), date(2027, 2, 1))
    assert [str(q) for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert str(current) == "2027-Q1"
