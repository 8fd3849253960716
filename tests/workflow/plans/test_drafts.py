"""Plan drafts: drafted from a document or copied from last year's plan, edited by a person,
published through the checks of ``plan load``, or discarded; two people at once, one wins."""

import pytest
from sqlmodel import select

from tests.conftest import ROOT, SMALL_PLAN, real_now
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, NotFound, StaleVersion
from workflow.organisations.models import Unit
from workflow.plans.checks import PlanInvalid, read_plan
from workflow.plans.draft_edits import Edit
from workflow.plans.drafts import (
    as_draft,
    copy_plan,
    discard_draft,
    draft_for,
    drafts_of,
    edit_draft,
    publish_draft,
    start_draft,
)
from workflow.plans.importer import DocumentUnreadable
from workflow.plans.models import Plan, PlanDraft, Responsibility

SEED = ROOT / "docs" / "seed" / "000_7684f10bc084db47.txt"
ELECTION = ROOT / "tests" / "plans" / "documents" / "tan-lap-bau-cu-2026.docx"


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def seed_draft(session, admin):
    draft = start_draft(session, admin, SEED.read_bytes(), SEED.name, real_now())
    session.commit()
    return draft


def unit(draft: PlanDraft, code: str) -> tuple[str, int, dict]:
    for collection in ("units", "groups"):
        for index, item in enumerate(draft.data.get(collection, [])):
            if item["code"] == code:
                return collection, index, item
    raise AssertionError(code)


def test_a_draft_is_for_the_drafters_organisation_and_keeps_its_units(session, seed_draft, ward):
    """The small ward already has UBND, BXDD and TCD: the document's units of those names take
    their codes, each said, so people and tasks stay with them."""
    assert seed_draft.data["organisation"]["code"] == ward.code
    assert seed_draft.title.startswith("Thông tin, truyền thông triển khai Kế hoạch hành động")
    draft = as_draft(seed_draft)
    taken = {d.path: d.text() for d in draft.doubts if d.message.startswith("Taken as")}
    assert taken == {
        ("units", 0): "Taken as the unit BXDD the organisation already has.",
        ("units", 1): "Taken as the unit UBND the organisation already has.",
        ("groups", 1): "Taken as the unit TCD the organisation already has.",
    }
    assert all(d.path != ("organisation",) for d in draft.doubts)


def test_merging_a_unit_moves_its_duties_and_spellings(session, admin, seed_draft):
    collection, index, _ = unit(seed_draft, "TGV57")
    edit = Edit("merge", (collection, index), {"into": "UBND"})
    edited = edit_draft(session, admin, seed_draft.id, 1, edit, real_now())
    session.commit()
    assert edited.version == 2
    assert "TGV57" not in {u["code"] for u in edited.data["units"]}
    _, _, ubnd = unit(edited, "UBND")
    assert "Tổ giúp việc BCĐ NQ 57 phường Việt Hưng" in ubnd["aliases"]
    coordinating = {r["ref"]: r.get("coordinating") for r in edited.data["responsibilities"]}
    assert coordinating["III.1.2"] == ["TCD"]  # was [TGV57, TCD]; UBND leads it already
    assert coordinating["III.1.4"] == ["UBND", "MTTQ", "CTXH"]


def test_a_unit_still_named_by_a_duty_cannot_be_removed(session, admin, seed_draft):
    collection, index, _ = unit(seed_draft, "BBT")
    with pytest.raises(InvalidInput) as refused:
        edit_draft(
            session, admin, seed_draft.id, 1, Edit("remove", (collection, index)), real_now()
        )
    assert refused.value.params["refs"].startswith("III.1.4, VI.5.1")
    session.rollback()
    assert draft_for(session, admin, seed_draft.id).version == 1


def test_a_change_made_on_an_old_version_is_refused_and_saves_nothing(session, admin, seed_draft):
    """Two people opened the draft; the first saves a title, the second's save is refused."""
    first = Edit("set", ("plan",), {"title": "Kế hoạch của người thứ nhất"})
    edit_draft(session, admin, seed_draft.id, 1, first, real_now())
    session.commit()
    second = Edit("set", ("plan",), {"title": "Kế hoạch của người thứ hai"})
    with pytest.raises(StaleVersion):
        edit_draft(session, admin, seed_draft.id, 1, second, real_now())
    session.rollback()
    kept = draft_for(session, admin, seed_draft.id)
    assert (kept.version, kept.data["plan"]["title"]) == (2, "Kế hoạch của người thứ nhất")


def test_editing_an_item_settles_its_points_to_check(session, admin, seed_draft):
    phase = seed_draft.data["phases"][0]
    assert next(d.path for d in as_draft(seed_draft).doubts if d.path[0] == "phases") == (
        "phases",
        0,
        "lead",
    )
    edited = edit_draft(
        session, admin, seed_draft.id, 1, Edit("set", ("phases", 0), phase), real_now()
    )
    assert not [d for d in as_draft(edited).doubts if d.path[:2] == ("phases", 0)]
    assert next(d.path[:2] for d in as_draft(edited).doubts if d.path[0] == "phases") == (
        "phases",
        1,
    )


def test_publishing_loads_the_plan_and_removes_the_draft(session, admin, seed_draft, ward):
    result = publish_draft(session, admin, seed_draft.id, 1, Clock())
    session.commit()
    assert result.plan.code == "VH-2026-NQ57"
    assert result.plan.organisation_id == ward.id
    refs = session.exec(select(Responsibility.ref).where(Responsibility.plan_id == result.plan.id))
    assert len(list(refs)) == 33
    assert session.get(PlanDraft, seed_draft.id) is None
    assert drafts_of(session, admin) == []


def test_a_draft_with_mistakes_is_not_published_and_is_kept(session, admin, seed_draft):
    duty = dict(seed_draft.data["responsibilities"][0], lead=[])
    edit_draft(
        session, admin, seed_draft.id, 1, Edit("set", ("responsibilities", 0), duty), real_now()
    )
    session.commit()
    with pytest.raises(PlanInvalid) as refused:
        publish_draft(session, admin, seed_draft.id, 2, Clock())
    session.rollback()
    assert [p.field for p in refused.value.problems] == ["responsibilities[III.1.1].lead"]
    assert session.exec(select(Plan).where(Plan.code == "VH-2026-NQ57")).first() is None
    assert draft_for(session, admin, seed_draft.id).version == 2


def test_discarding_removes_only_the_draft(session, admin, seed_draft):
    discard_draft(session, admin, seed_draft.id, 1)
    session.commit()
    with pytest.raises(NotFound):
        draft_for(session, admin, seed_draft.id)


def test_next_years_plan_starts_from_this_years(session, admin, ward):
    draft = copy_plan(session, admin, "TN-2026", real_now())
    session.commit()
    plan = draft.data["plan"]
    assert (plan["code"], plan["title"]) == ("TN-2027", "Kế hoạch thử nghiệm năm 2027")
    assert plan["period"] == {"start": "2027-01-01", "end": "2027-12-31"}
    original = read_plan(SMALL_PLAN)["responsibilities"]
    moved = {r["ref"]: r["cadence"] for r in draft.data["responsibilities"]}
    assert moved["VI.4.1"] == {"kind": "quarters", "quarters": ["2027-Q1"]}
    assert len(moved) == len([r for r in original if r["kind"] == "duty"])
    published = publish_draft(session, admin, draft.id, 1, Clock())
    session.commit()
    assert (published.plan.code, published.plan.period_start.year) == ("TN-2027", 2027)


def test_only_the_admin_and_ban_xay_dung_dang_draft_plans(session, make_user, seed_draft):
    head = make_user("unit_head", "UBND")
    with pytest.raises(NotAllowed):
        drafts_of(session, head)
    with pytest.raises(NotAllowed):
        start_draft(session, head, SEED.read_bytes(), SEED.name, real_now())
    reviewer = make_user("reviewer")
    assert [d.id for d in drafts_of(session, reviewer)] == [seed_draft.id]


def test_a_document_that_is_not_a_plan_drafts_nothing(session, admin):
    with pytest.raises(DocumentUnreadable):
        start_draft(session, admin, b"\xd0\xcf\x11\xe0" + b"\0" * 600, "cu.doc", real_now())
    assert drafts_of(session, admin) == []


def test_an_election_plan_publishes_with_its_milestone_positions_and_groups(session, admin):
    draft = start_draft(session, admin, ELECTION.read_bytes(), ELECTION.name, real_now())
    publish_draft(session, admin, draft.id, 1, Clock())
    session.commit()
    position = session.exec(select(Unit).where(Unit.code == "PCT")).one()
    assert (position.kind, position.holder) == ("position", "Nguyễn Văn An")
    group = session.exec(select(Unit).where(Unit.code == "DCP")).one()
    assert (group.is_group, group.members_later) == (True, True)
