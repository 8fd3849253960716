"""Reports, and who sees which task."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from tests.conftest import PASSWORD, Q1_CONTRIBUTIONS, Q1_TASKS, SMALL_PLAN, real_now
from workflow.accounts.operations import add_user
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.plans.models import Target
from workflow.tasks import operations, queries
from workflow.tasks.models import Report, TargetFigure, Task, TaskEventRecord
from workflow.tasks.queries import list_tasks

VIETNAMESE = "Đã tổ chức hội nghị quán triệt cho 100% đảng viên; ý kiến: “rất tốt”"


def target_id(session, ref="I.2.4"):
    return session.exec(select(Target.id).where(Target.ref == ref)).one()


def counts(session, task_id):
    """What a refused report must leave alone."""
    task = session.exec(select(Task).where(Task.id == task_id)).one()
    session.refresh(task)
    return {
        "state": task.state,
        "version": task.version,
        "events": session.exec(
            select(func.count())
            .select_from(TaskEventRecord)
            .where(TaskEventRecord.task_id == task_id)
        ).one(),
        "reports": session.exec(
            select(func.count()).select_from(Report).where(Report.task_id == task_id)
        ).one(),
        "figures": session.exec(select(func.count()).select_from(TargetFigure)).one(),
    }


@pytest.fixture
def cell(session, open_tasks, make_user):
    """The 2026-Q1 task of VI.4.1 for CB1 (it reports target I.2.4), started by CB1's head."""
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    head = make_user("unit_head", "CB1")
    operations.start_task(session, head, task.id, task.version, now=real_now())
    session.commit()
    return task, head


# Reports


def test_a_report_keeps_its_text_links_and_figures(db, session, cell):
    """What does a report store: the text without surrounding blanks, the links, the figures?"""
    task, head = cell
    report = operations.submit_report(
        session,
        head,
        task.id,
        task.version,
        "  Đã quán triệt xong.\n",
        links=[" https://thunghiem.vn/bien-ban ", "", "http://thunghiem.vn/anh"],
        figures={target_id(session): "95,5"},
        now=datetime(2026, 3, 2, 3, 0, tzinfo=UTC),
    )
    session.commit()

    with Session(db) as fresh:
        stored = fresh.get(Report, report.id)
        assert (stored.text, stored.links) == (
            "Đã quán triệt xong.",
            ["https://thunghiem.vn/bien-ban", "http://thunghiem.vn/anh"],
        )
        assert (stored.author_id, stored.task_id) == (head.id, task.id)
        assert stored.submitted_at == datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
        figures = fresh.exec(select(TargetFigure).where(TargetFigure.report_id == report.id)).all()
        assert [(f.target_id, f.value) for f in figures] == [(target_id(fresh), Decimal("95.5"))]
        fresh.commit()


def test_vietnamese_text_round_trips_exactly(db, session, cell):
    """Does the report come back letter for letter, diacritics and curly quotes included?"""
    task, head = cell
    report = operations.submit_report(
        session, head, task.id, task.version, VIETNAMESE, now=real_now()
    )
    session.commit()
    with Session(db) as fresh:
        assert fresh.get(Report, report.id).text == VIETNAMESE
        record = fresh.exec(
            select(TaskEventRecord).where(
                TaskEventRecord.task_id == task.id, TaskEventRecord.event == "report"
            )
        ).one()
        assert record.comment == VIETNAMESE
        fresh.commit()


@pytest.mark.parametrize(
    "link",
    [
        "www.thunghiem.vn/bien-ban",
        "ftp://thunghiem.vn/x",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "Biên bản hội nghị",
        "https:/thieu-gach",
    ],
)
def test_a_link_must_be_a_web_address(session, cell, link):
    """Is a link that is not http:// or https:// refused, with nothing saved?"""
    task, head = cell
    before = counts(session, task.id)
    with pytest.raises(InvalidInput) as refused:
        operations.submit_report(
            session,
            head,
            task.id,
            task.version,
            "Báo cáo",
            links=["https://thunghiem.vn/ok", link],
            now=real_now(),
        )
    session.rollback()
    assert link.strip() in str(refused.value)
    assert counts(session, task.id) == before


@pytest.mark.parametrize(
    ("text", "links", "refusal"),
    [
        ("x" * 20_001, [], "A report's text may be at most 20000 characters."),
        ("Báo cáo", [f"https://thunghiem.vn/{n}" for n in range(21)], "at most 20 links"),
        ("Báo cáo", ["https://thunghiem.vn/" + "a" * 2000], "A link may be at most 2000"),
    ],
    ids=["text-over-20000", "21-links", "link-over-2000"],
)
def test_a_report_past_its_limits_is_refused_and_nothing_saved(session, cell, text, links, refusal):
    task, head = cell
    before = counts(session, task.id)
    with pytest.raises(InvalidInput) as refused:
        operations.submit_report(
            session, head, task.id, task.version, text, links=links, now=real_now()
        )
    session.rollback()
    assert refusal in str(refused.value)
    assert counts(session, task.id) == before


def test_a_report_at_its_limits_is_taken(session, cell):
    task, head = cell
    links = [f"https://thunghiem.vn/{n:04}" + "a" * 1975 for n in range(20)]
    assert {len(link) for link in links} == {2000}
    operations.submit_report(
        session, head, task.id, task.version, "x" * 20_000, links=links, now=real_now()
    )
    session.commit()


def test_a_reason_past_5000_characters_is_refused(session, cell, make_user):
    task, head = cell
    operations.submit_report(session, head, task.id, task.version, "Đã làm", now=real_now())
    session.commit()
    session.refresh(task)
    reviewer = make_user("reviewer")
    with pytest.raises(InvalidInput, match="A reason may be at most 5000 characters"):
        operations.return_report(
            session, reviewer, task.id, task.version, "x" * 5001, now=real_now()
        )
    session.rollback()


def test_web_addresses_in_capitals_are_links_too(session, cell):
    """Is "HTTPS://..." accepted as a link?"""
    task, head = cell
    report = operations.submit_report(
        session,
        head,
        task.id,
        task.version,
        "Báo cáo",
        links=["HTTPS://THUNGHIEM.VN/BIEN-BAN"],
        now=real_now(),
    )
    session.commit()
    assert report.links == ["HTTPS://THUNGHIEM.VN/BIEN-BAN"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("95,5", Decimal("95.5")),
        ("100", Decimal("100")),
        (" 42.25 ", Decimal("42.25")),
        (Decimal("7"), Decimal("7")),
        ("0", Decimal("0")),
    ],
)
def test_figures_are_read_as_numbers_with_a_point_or_a_comma(db, session, cell, raw, value):
    """Which figures are accepted, and as what number? A decimal comma is a decimal point."""
    task, head = cell
    report = operations.submit_report(
        session,
        head,
        task.id,
        task.version,
        "Báo cáo",
        figures={target_id(session): raw},
        now=real_now(),
    )
    session.commit()
    with Session(db) as fresh:
        stored = fresh.exec(select(TargetFigure).where(TargetFigure.report_id == report.id)).one()
        assert stored.value == value
        fresh.commit()


def test_a_blank_figure_is_no_figure(session, cell):
    """Does leaving a figure empty report nothing for that target, rather than refuse?"""
    task, head = cell
    operations.submit_report(
        session,
        head,
        task.id,
        task.version,
        "Báo cáo",
        figures={target_id(session): "  "},
        now=real_now(),
    )
    session.commit()
    assert session.exec(select(func.count()).select_from(TargetFigure)).one() == 0


@pytest.mark.parametrize("raw", ["nhiều", "95%", "1.234,5", "NaN", "Infinity", "9 5"])
def test_a_figure_must_be_a_number(session, cell, raw):
    """Is a figure that is not a number refused, saying which, with nothing saved?"""
    task, head = cell
    before = counts(session, task.id)
    with pytest.raises(InvalidInput) as refused:
        operations.submit_report(
            session,
            head,
            task.id,
            task.version,
            "Báo cáo",
            figures={target_id(session): raw},
            now=real_now(),
        )
    assert str(refused.value) == f"A target figure must be a number: {raw}"
    session.rollback()
    assert counts(session, task.id) == before


def test_a_figure_too_large_to_keep_is_refused(session, cell):
    """Is a figure beyond what the column holds (12 digits, 2 after the point) refused as bad
    input, rather than failing in the database or being kept as something else?"""
    task, head = cell
    before = counts(session, task.id)
    with pytest.raises(InvalidInput) as refused:
        operations.submit_report(
            session,
            head,
            task.id,
            task.version,
            "Báo cáo",
            figures={target_id(session): "12345678901234"},
            now=real_now(),
        )
    assert str(refused.value) == (
        "A target figure must be less than 10,000,000,000: 12345678901234"
    )
    session.rollback()
    assert counts(session, task.id) == before


def test_a_figure_only_for_a_target_the_task_reports(session, open_tasks, make_user):
    """May UBND's VI.2.1 report a figure for I.2.4, which only VI.4.1 reports? Or an unknown
    target?"""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND")
    operations.start_task(session, head, task.id, task.version, now=real_now())
    session.commit()
    before = counts(session, task.id)
    for target in (target_id(session), 999_999):
        with pytest.raises(InvalidInput) as refused:
            operations.submit_report(
                session,
                head,
                task.id,
                task.version,
                "Báo cáo",
                figures={target: "100"},
                now=real_now(),
            )
        assert str(refused.value) == "This task does not report that target."
        session.rollback()
        assert counts(session, task.id) == before


def test_the_first_report_time_is_kept_and_the_approval_time_recorded(session, cell, make_user):
    """When was the task first reported, and when approved, after a return and a second go?"""
    task, head = cell
    reviewer = make_user("reviewer")
    times = [datetime(2026, 3, day, 2, 30, tzinfo=UTC) for day in (3, 5, 9, 12, 20, 25)]

    def at(moment, action, user, *args):
        action(session, user, task.id, task.version, *args, now=moment)
        session.commit()
        session.refresh(task)

    at(times[0], operations.submit_report, head, "Lần 1")
    assert (task.first_reported_at, task.reviewed_at) == (times[0], None)
    at(times[1], operations.return_report, reviewer, "Bổ sung số liệu")
    at(times[2], operations.submit_report, head, "Lần 2")
    assert (task.first_reported_at, task.reviewed_at) == (times[0], None)
    at(times[3], operations.approve_report, reviewer)
    assert (task.first_reported_at, task.reviewed_at, task.updated_at) == (
        times[0],
        times[3],
        times[3],
    )
    at(times[4], operations.reopen_task, reviewer, "Cần cập nhật")
    at(times[5], operations.submit_report, head, "Lần 3")
    assert task.first_reported_at == times[0]

    reports = session.exec(select(Report).where(Report.task_id == task.id).order_by(Report.id))
    assert [r.submitted_at for r in reports] == [times[0], times[2], times[5]]
    events = session.exec(
        select(TaskEventRecord.at)
        .where(TaskEventRecord.task_id == task.id, TaskEventRecord.actor_id.is_not(None))
        .order_by(TaskEventRecord.id)
    ).all()
    assert events[1:] == times  # after the start


# Who sees which task


def seen(session, ward, user):
    rows = list_tasks(session, ward, real_now(), viewer=user)
    return {(row.ref, row.unit_code) for row in rows}


@pytest.mark.parametrize("role", ["admin", "leader", "reviewer"])
def test_the_ward_wide_roles_see_every_task(session, ward, open_tasks, make_user, role):
    """Does an admin, a leader or a reviewer see every task of the ward?"""
    task = open_tasks("2026-Q1")
    user = make_user(role)
    assert seen(session, ward, user) == Q1_TASKS
    for ref, unit in Q1_TASKS:
        assert queries.visible_task(session, user, task(ref, unit).id).id == task(ref, unit).id


@pytest.mark.parametrize("role", ["unit_head", "member"])
def test_a_unit_sees_its_own_tasks(session, ward, open_tasks, make_user, role):
    """Which tasks does someone of UBND, which coordinates nothing, see? Its own, and the
    contributions the coordinating units owe to what it leads."""
    task = open_tasks("2026-Q1")
    user = make_user(role, "UBND")
    assert seen(session, ward, user) == {("VI.2.1", "UBND")} | Q1_CONTRIBUTIONS
    with pytest.raises(NotFound):
        queries.visible_task(session, user, task("VI.1.7", "BXDD").id)


def test_a_cell_sees_its_tasks_and_those_its_group_coordinates(
    session, ward, open_tasks, make_user
):
    """Does CB1's head see CB1's tasks and VI.2.1 (coordinated by its group TCD: the lead's task
    and the contributions), not CB2's own?"""
    task = open_tasks("2026-Q1")
    head = make_user("unit_head", "CB1")
    assert seen(session, ward, head) == {("VI.4.1", "CB1"), ("VI.2.1", "UBND")} | Q1_CONTRIBUTIONS
    assert queries.visible_task(session, head, task("VI.2.1", "UBND").id).unit_id
    with pytest.raises(NotFound):
        queries.visible_task(session, head, task("VI.4.1", "CB2").id)
    with pytest.raises(NotFound):
        operations.start_task(session, head, task("VI.4.1", "CB2").id, 1, now=real_now())


def test_a_coordinating_unit_may_look_but_not_act(session, ward, open_tasks, make_user):
    """May BXDD's head, who coordinates VI.2.1, see it and start or report it?"""
    task = open_tasks("2026-Q1")
    head = make_user("unit_head", "BXDD")
    assert seen(session, ward, head) == {("VI.1.7", "BXDD"), ("VI.2.1", "UBND")} | Q1_CONTRIBUTIONS
    coordinated = task("VI.2.1", "UBND")
    assert queries.visible_task(session, head, coordinated.id).id == coordinated.id
    with pytest.raises(NotAllowed):
        operations.start_task(session, head, coordinated.id, coordinated.version, now=real_now())
    session.rollback()
    session.refresh(coordinated)
    assert (coordinated.state, coordinated.version) == ("assigned", 1)


@pytest.mark.parametrize(
    ("role", "unit"),
    [("reviewer", None), ("admin", None), ("unit_head", "UBND"), ("member", "CB1")],
)
def test_an_inactive_user_sees_nothing(session, ward, open_tasks, make_user, role, unit):
    """Does someone whose account was switched off still see or touch any task?"""
    task = open_tasks("2026-Q1")
    user = make_user(role, unit)
    user.active = False
    session.add(user)
    session.commit()
    assert seen(session, ward, user) == set()
    own = task("VI.2.1", "UBND")
    with pytest.raises(NotFound):
        queries.visible_task(session, user, own.id)
    with pytest.raises(NotFound):
        operations.start_task(session, user, own.id, own.version, now=real_now())


def test_another_organisation_sees_nothing_of_this_ward(
    session, ward, load, open_tasks, make_user, tmp_path
):
    """Does a reviewer of another ward, in the same database, see or act on this ward's tasks?"""
    task = open_tasks("2026-Q1")
    other_plan = tmp_path / "other-ward.yaml"
    other_plan.write_text(
        SMALL_PLAN.read_text(encoding="utf-8").replace("code: DU-TEST", "code: DU-KHAC"),
        encoding="utf-8",
    )
    other = load(other_plan)
    assert other.id != ward.id
    outsider = add_user(
        session, other, "ngoai", "reviewer", "ngoai@example.vn", PASSWORD, now=real_now()
    )
    session.commit()
    assert seen(session, ward, outsider) == set()
    assert seen(session, other, outsider) == set()  # no quarter opened there
    assert seen(session, ward, make_user("reviewer")) == Q1_TASKS
    with pytest.raises(NotFound):
        queries.visible_task(session, outsider, task("VI.2.1", "UBND").id)


def test_a_task_opens_by_its_id_exactly_for_those_whose_lists_hold_it(
    session, ward, levels, make_user
):
    """For everyone (the ward's heads and members of every unit, its organisation-wide roles,
    a switched-off head, another commune's reviewer, the overseers above) and every task of
    the three communes: ``visible_task`` finds it exactly when the visibility rule lists it."""
    from workflow.organisations.models import Unit
    from workflow.permissions import visible_tasks_clause
    from workflow.plans.models import Plan

    units = session.exec(
        select(Unit.code).where(Unit.organisation_id == ward.id, Unit.is_group == False)  # noqa: E712
    ).all()
    people = [make_user(role, unit) for unit in units for role in ("unit_head", "member")]
    people += [make_user(role) for role in ("admin", "leader", "reviewer")]
    people += list(levels.overseers.values())
    people.append(make_user("unit_head", "UBND"))
    people[-1].active = False
    outsider = levels.organisations["XA-KHAC"]
    people.append(
        add_user(
            session, outsider, "ngoai", "reviewer", "ngoai@example.vn", PASSWORD, now=real_now()
        )
    )
    session.commit()
    every_task = set(session.exec(select(Task.id)).all())
    for user in people:
        listed = set(
            session.exec(
                select(Task.id)
                .join(Plan, Plan.id == Task.plan_id)
                .where(visible_tasks_clause(user))
            ).all()
        )
        found = set()
        for task_id in every_task:
            with contextlib.suppress(NotFound):
                found.add(queries.visible_task(session, user, task_id).id)
        assert found == listed, (user.username, user.role)
    assert len(every_task) > len(listed) > 0  # the last, an outsider, sees only their own


def test_a_task_that_does_not_exist_is_not_found(session, ward, open_tasks, make_user):
    """What does asking for a task id that does not exist give, even to a reviewer?"""
    open_tasks("2026-Q1")
    with pytest.raises(NotFound):
        queries.visible_task(session, make_user("reviewer"), 999_999)
