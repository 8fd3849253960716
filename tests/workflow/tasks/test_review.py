"""The review queue and approving several reports at once, as Ban Xây dựng Đảng uses them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event
from sqlmodel import func, select

from tests.conftest import PDF, real_now
from workflow.errors import (
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleVersion,
)
from workflow.periods import Quarter
from workflow.plans.models import Target
from workflow.tasks import operations
from workflow.tasks.evidence import EvidenceStore, Upload
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.review import SelectionRefused, approve_reports, queue_choices, review_queue
from workflow.tasks.states import TaskEvent

MARCH = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
# The duties of the small plan's first quarter, in the order the tests report them
DUTIES = [("VI.2.1", "UBND"), ("VI.4.1", "CB1"), ("VI.4.1", "CB2"), ("VI.1.7", "BXDD")]


@pytest.fixture
def ward_people(make_user):
    """A head for each unit of the small plan, and a reviewer."""
    heads = {
        code: make_user("unit_head", code, full_name=f"Trưởng {code}")
        for code in ("UBND", "CB1", "CB2", "BXDD")
    }
    return heads, make_user("reviewer", full_name="Trần Văn Duyệt")


@pytest.fixture
def reported(session, open_tasks, ward_people, tmp_path):
    """Report a Q1 task at a given time; returns ``report(ref, unit, at, text, **kw)``."""
    heads, _reviewer = ward_people
    find = open_tasks("2026-Q1")
    store = EvidenceStore(tmp_path / "uploads", 1 << 20)

    def report(ref, unit, at=MARCH, text="Đã thực hiện", files=(), **kwargs):
        task = find(ref, unit)
        session.refresh(task)
        if task.state == "assigned":
            operations.start_task(session, heads[unit], task.id, task.version, now=at)
        operations.submit_report(
            session,
            heads[unit],
            task.id,
            task.version,
            text,
            files=[Upload(name, io.BytesIO(content)) for name, content in files],
            store=store,
            now=at,
            **kwargs,
        )
        session.commit()
        session.refresh(task)
        return task

    return report


def send_back(session, reviewer, task, reason, at):
    session.refresh(task)
    operations.return_report(session, reviewer, task.id, task.version, reason, now=at)
    session.commit()


def refs(items):
    return [(item.task.ref, item.task.unit_code) for item in items]


def figure_target(session):
    return session.exec(select(Target.id).where(Target.ref == "I.2.4")).one()


# What the queue holds


def test_the_queue_holds_reported_tasks_oldest_latest_report_first(session, reported, ward_people):
    """In which order does the reviewer see reports sent at different times, one of them
    returned and sent again?"""
    _heads, reviewer = ward_people
    ubnd = reported("VI.2.1", "UBND", at=MARCH)
    reported("VI.4.1", "CB1", at=MARCH + timedelta(hours=2))
    reported("VI.1.7", "BXDD", at=MARCH + timedelta(hours=1))
    send_back(session, reviewer, ubnd, "Bổ sung ảnh", MARCH + timedelta(hours=3))
    reported("VI.2.1", "UBND", at=MARCH + timedelta(hours=4), text="Đã bổ sung ảnh")
    items = review_queue(session, reviewer, real_now())
    assert refs(items) == [("VI.1.7", "BXDD"), ("VI.4.1", "CB1"), ("VI.2.1", "UBND")]
    assert [item.report.submitted_at for item in items] == [
        MARCH + timedelta(hours=1),
        MARCH + timedelta(hours=2),
        MARCH + timedelta(hours=4),
    ]
    assert all(item.task.state == "reported" for item in items)


def test_tasks_not_reported_are_not_in_the_queue(session, reported, ward_people):
    """Do started, returned and approved tasks stay out of the queue?"""
    _heads, reviewer = ward_people
    returned = reported("VI.2.1", "UBND")
    approved = reported("VI.4.1", "CB1")
    send_back(session, reviewer, returned, "Thiếu minh chứng", MARCH)
    operations.approve_report(session, reviewer, approved.id, approved.version, now=real_now())
    session.commit()
    assert review_queue(session, reviewer, real_now()) == []


def test_an_item_carries_its_latest_report_with_links_files_and_figures(
    session, reported, ward_people
):
    """Can the reviewer judge a report without opening the task: text, links, files, figures?"""
    _heads, reviewer = ward_people
    reported(
        "VI.4.1",
        "CB1",
        text="Đã quán triệt cho 100% đảng viên",
        links=["https://thunghiem.vn/bien-ban"],
        files=[("Biên bản.pdf", PDF), ("Danh sách.pdf", PDF)],
        figures={figure_target(session): "96,5"},
    )
    (item,) = review_queue(session, reviewer, real_now())
    assert item.task.title == "Quán triệt Nghị quyết" and item.section_ref == "VI.4"
    assert item.task.unit_name == "Chi bộ Khu dân cư số 1"
    assert item.report.text == "Đã quán triệt cho 100% đảng viên"
    assert item.report.links == ["https://thunghiem.vn/bien-ban"]
    assert item.author == "Trưởng CB1"
    assert [f.filename for f in item.files] == ["Biên bản.pdf", "Danh sách.pdf"]
    ((target, figure),) = item.figures
    assert target.ref == "I.2.4" and figure.value == Decimal("96.50")
    assert item.last_return is None
    assert item.task.deadline.value == "awaiting_review"  # on time, not yet completed


def test_a_resubmitted_task_carries_the_last_return_reason(session, reported, ward_people):
    """Returned twice, reported a third time: does the reviewer see why it came back last?"""
    _heads, reviewer = ward_people
    task = reported("VI.2.1", "UBND", at=MARCH)
    send_back(session, reviewer, task, "Thiếu ảnh", MARCH + timedelta(days=1))
    reported("VI.2.1", "UBND", at=MARCH + timedelta(days=2), text="Lần 2")
    send_back(session, reviewer, task, "Ảnh chưa rõ", MARCH + timedelta(days=3))
    reported("VI.2.1", "UBND", at=MARCH + timedelta(days=4), text="Lần 3", files=[("a.pdf", PDF)])
    (item,) = review_queue(session, reviewer, real_now())
    assert item.report.text == "Lần 3"
    assert [f.filename for f in item.files] == ["a.pdf"]
    assert item.last_return.reason == "Ảnh chưa rõ"
    assert item.last_return.times == 2
    assert item.last_return.at == MARCH + timedelta(days=3)
    assert item.last_return.by == "Trần Văn Duyệt"


# Filters


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {("VI.2.1", "UBND"), ("VI.4.1", "CB1"), ("VI.1.7", "BXDD"), ("VI.2.1", "UBND@Q2")}),
        (
            {"quarter": Quarter(2026, 1)},
            {("VI.2.1", "UBND"), ("VI.4.1", "CB1"), ("VI.1.7", "BXDD")},
        ),
        ({"quarter": Quarter(2026, 2)}, {("VI.2.1", "UBND@Q2")}),
        ({"quarter": Quarter(2026, 3)}, set()),
        ({"unit_code": "UBND"}, {("VI.2.1", "UBND"), ("VI.2.1", "UBND@Q2")}),
        ({"unit_code": "CB1", "quarter": Quarter(2026, 1)}, {("VI.4.1", "CB1")}),
        ({"unit_code": "TCD"}, set()),  # a group owns no task itself
        ({"section": "VI.2"}, {("VI.2.1", "UBND"), ("VI.2.1", "UBND@Q2")}),
        ({"section": "VI.1"}, {("VI.1.7", "BXDD")}),
        (
            {"section": "VI"},
            {("VI.2.1", "UBND"), ("VI.4.1", "CB1"), ("VI.1.7", "BXDD"), ("VI.2.1", "UBND@Q2")},
        ),
        ({"section": "V"}, set()),  # a prefix of the ref, not of its letters
        ({"section": "VI.4", "unit_code": "UBND"}, set()),
    ],
)
def test_the_queue_narrows_by_quarter_unit_and_section(
    session, reported, ward_people, open_tasks, filters, expected
):
    """Which reports are left when the reviewer picks a quarter, a unit or a section?"""
    heads, reviewer = ward_people
    for ref, unit in [("VI.2.1", "UBND"), ("VI.4.1", "CB1"), ("VI.1.7", "BXDD")]:
        reported(ref, unit)
    q2 = open_tasks("2026-Q2")("VI.2.1", "UBND")
    operations.start_task(session, heads["UBND"], q2.id, q2.version, now=real_now())
    operations.submit_report(session, heads["UBND"], q2.id, q2.version, "Quý II", now=real_now())
    session.commit()
    items = review_queue(session, reviewer, real_now(), **filters)
    found = {
        (i.task.ref, i.task.unit_code + ("@Q2" if i.task.period == "2026-Q2" else ""))
        for i in items
    }
    assert found == expected


def test_the_filters_offer_the_quarters_units_and_sections(session, open_tasks, ward_people):
    """What can the reviewer pick from?"""
    _heads, reviewer = ward_people
    open_tasks("2026-Q1")
    open_tasks("2026-Q2")
    choices = queue_choices(session, reviewer)
    assert [str(quarter) for quarter in choices.quarters] == ["2026-Q1", "2026-Q2"]
    assert [unit.code for unit in choices.units] == ["BXDD", "CB1", "CB2", "UBND"]
    assert [ref for ref, _title in choices.sections] == ["VI", "VI.1", "VI.2", "VI.4"]


# Who may see the queue


@pytest.mark.parametrize(
    ("role", "actions"),
    [("reviewer", [TaskEvent.APPROVE, TaskEvent.RETURN]), ("admin", []), ("leader", [])],
)
def test_reviewers_act_on_the_queue_and_admins_and_leaders_only_read_it(
    session, reported, make_user, role, actions
):
    """Who sees the queue, and who is offered approve and return?"""
    reported("VI.2.1", "UBND")
    (item,) = review_queue(session, make_user(role), real_now())
    assert item.actions == actions


@pytest.mark.parametrize(("role", "unit"), [("unit_head", "BXDD"), ("member", "UBND")])
def test_units_may_not_see_the_queue(session, reported, make_user, role, unit):
    """Even the head of Ban Xây dựng Đảng as a unit, or a member of the reporting unit?"""
    reported("VI.2.1", "UBND")
    user = make_user(role, unit)
    with pytest.raises(NotAllowed):
        review_queue(session, user, real_now())
    with pytest.raises(NotAllowed):
        queue_choices(session, user)


def test_an_inactive_reviewer_may_not_see_the_queue(session, make_user):
    reviewer = make_user("reviewer")
    reviewer.active = False
    session.commit()
    with pytest.raises(NotAllowed):
        review_queue(session, reviewer, real_now())


# How many statements


@pytest.fixture
def statements(db):
    """Counts the statements sent to the database inside ``with statements() as counted``."""

    class Counter:
        def __init__(self):
            self.count = 0

        def __call__(self, conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
                self.count += 1

        def __enter__(self):
            event.listen(db, "before_cursor_execute", self)
            return self

        def __exit__(self, *exc):
            event.remove(db, "before_cursor_execute", self)

    return Counter


def test_the_queue_takes_the_same_number_of_statements_for_one_task_or_many(
    session, reported, ward_people, statements
):
    """Does the queue send a query per task, per file or per return? It must not."""
    _heads, reviewer = ward_people
    first = reported("VI.2.1", "UBND", files=[("a.pdf", PDF)])
    session.expire_all()
    with statements() as one:
        assert len(review_queue(session, reviewer, real_now())) == 1
    send_back(session, reviewer, first, "Bổ sung", MARCH)
    reported("VI.2.1", "UBND", files=[("b.pdf", PDF), ("c.pdf", PDF)])
    figure = {figure_target(session): "90"}
    reported("VI.4.1", "CB1", files=[("d.pdf", PDF)], figures=figure)
    reported("VI.4.1", "CB2", figures=figure)
    reported("VI.1.7", "BXDD", files=[("e.pdf", PDF)])
    session.expire_all()
    with statements() as many:
        items = review_queue(session, reviewer, real_now())
        assert len(items) == 4 and sum(len(item.files) for item in items) == 4
    assert many.count == one.count <= 5


# Approving several reports at once


def events_of(session, event):
    return session.exec(
        select(func.count()).select_from(TaskEventRecord).where(TaskEventRecord.event == event)
    ).one()


def test_the_reviewer_approves_the_selected_reports_in_one_go(session, reported, ward_people):
    """Three reports selected, one left: are exactly the three approved, each with its event?"""
    _heads, reviewer = ward_people
    tasks = [reported(ref, unit) for ref, unit in DUTIES]
    chosen = tasks[:3]
    approved = approve_reports(
        session,
        reviewer,
        [(t.id, t.version) for t in chosen],
        comment="Đạt yêu cầu",
        now=real_now(),
    )
    session.commit()
    assert [t.id for t in approved] == [t.id for t in chosen]
    for task in tasks:
        session.refresh(task)
    assert [t.state for t in tasks] == ["reviewed", "reviewed", "reviewed", "reported"]
    assert events_of(session, "approve") == 3
    comments = session.exec(
        select(TaskEventRecord.comment).where(TaskEventRecord.event == "approve")
    ).all()
    assert set(comments) == {"Đạt yêu cầu"}
    assert refs(review_queue(session, reviewer, real_now())) == [("VI.1.7", "BXDD")]


def test_one_stale_report_and_nothing_is_approved(session, reported, ward_people):
    """Someone returned one of the selected reports meanwhile: is the whole selection refused,
    with the task named, and nothing approved?"""
    _heads, reviewer = ward_people
    tasks = [reported(ref, unit) for ref, unit in DUTIES]
    selection = [(t.id, t.version) for t in tasks]
    other = operations.return_report(
        session, reviewer, tasks[2].id, tasks[2].version, "Thiếu", now=real_now()
    )
    session.commit()
    with pytest.raises(SelectionRefused) as refused:
        approve_reports(session, reviewer, selection, now=real_now())
    assert isinstance(refused.value.cause, StaleVersion)
    assert refused.value.task_id == other.id
    assert refused.value.code == "stale_version"
    assert "VI.4.1" in str(refused.value) and "Chi bộ Khu dân cư số 2" in str(refused.value)
    # The items approved before the refusal are undone, even in the caller's session.
    assert [i.task.id for i in review_queue(session, reviewer, real_now())] == [
        t.id for t in tasks if t.id != other.id
    ]
    session.commit()
    assert events_of(session, "approve") == 0
    states = session.exec(select(Task.state).order_by(Task.id)).all()
    assert "reviewed" not in states


def test_the_refusal_is_translated_with_its_cause(session, reported, ward_people):
    """The message names the task and says why in the reader's language."""
    _heads, reviewer = ward_people
    task = reported("VI.2.1", "UBND")
    with pytest.raises(SelectionRefused) as refused:
        approve_reports(session, reviewer, [(task.id, task.version - 1)], now=real_now())
    fake = {
        "Nothing was approved: %(ref)s (%(unit)s) was refused. %(reason)s": "Không duyệt: "
        "%(ref)s (%(unit)s). %(reason)s",
        StaleVersion.message: "Tải lại.",
    }
    assert refused.value.translate(lambda m: fake.get(m, m)) == (
        "Không duyệt: VI.2.1 (Ủy ban nhân dân Phường). Tải lại."
    )


@pytest.mark.parametrize(
    ("spoil", "cause"),
    [
        ("not_reported", IllegalTransition),
        ("unknown", NotFound),
        ("twice_other_version", StaleVersion),
    ],
)
def test_any_refused_item_refuses_the_selection(
    session, reported, ward_people, open_tasks, spoil, cause
):
    """A task that is not reported, an id that does not exist, one task at two versions."""
    _heads, reviewer = ward_people
    good = reported("VI.2.1", "UBND")
    bad = {
        "not_reported": lambda: (open_tasks("2026-Q1")("VI.4.1", "CB2").id, 1),
        "unknown": lambda: (999_999, 1),
        "twice_other_version": lambda: (good.id, good.version - 1),
    }[spoil]()
    with pytest.raises(SelectionRefused) as refused:
        approve_reports(session, reviewer, [(good.id, good.version), bad], now=real_now())
    assert isinstance(refused.value.cause, cause)
    if spoil == "unknown":
        assert refused.value.ref is None and "999999" in str(refused.value)
    session.commit()
    session.refresh(good)
    assert good.state == "reported" and events_of(session, "approve") == 0


def test_the_same_item_twice_is_approved_once(session, reported, ward_people):
    _heads, reviewer = ward_people
    task = reported("VI.2.1", "UBND")
    approve_reports(
        session, reviewer, [(task.id, task.version), (task.id, task.version)], now=real_now()
    )
    session.commit()
    assert events_of(session, "approve") == 1


def test_an_empty_selection_is_refused(session, ward_people):
    _heads, reviewer = ward_people
    with pytest.raises(InvalidInput):
        approve_reports(session, reviewer, [], now=real_now())


@pytest.mark.parametrize(
    ("role", "unit"), [("admin", None), ("leader", None), ("unit_head", "UBND")]
)
def test_only_a_reviewer_may_approve_in_bulk(session, reported, make_user, role, unit):
    """Can an admin, a leader, or the reporting unit's own head approve a selection?"""
    task = reported("VI.2.1", "UBND")
    with pytest.raises(NotAllowed):
        approve_reports(session, make_user(role, unit), [(task.id, task.version)], now=real_now())
    session.commit()
    session.refresh(task)
    assert task.state == "reported"
