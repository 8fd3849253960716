"""The preview of a unit's next reminders: the same lines the sweeps then queue, day by day."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.conftest import sign_in_on, sweep
from workflow.organisations.models import Unit
from workflow.outbox.models import NotificationItem
from workflow.tasks.models import Task

ROLES = [
    ("admin", None, 200),
    ("leader", None, 200),
    ("reviewer", None, 200),
    ("unit_head", "UBND", 200),
    ("member", "CB1", 403),
]


def preview_lines(page: str) -> dict[date, set[tuple[str, int, int]]]:
    """(rule, task id, recipient id) per day, read from the page."""
    days = {}
    for part in page.split("<h2>")[1:]:
        day, _rest = part.split("</h2>", 1)
        found = re.findall(r'data-rule="(\w+)" data-task="(\d+)" data-recipient="(\d+)"', part)
        days[date(*reversed([int(n) for n in day.split("/")]))] = {
            (rule, int(task), int(who)) for rule, task, who in found
        }
    return days


@pytest.mark.parametrize(("role", "unit", "status"), ROLES)
def test_who_may_preview(app, make_user, open_tasks, role, unit, status):
    open_tasks()
    browser = app.test_client()
    sign_in_on(browser, make_user(role, unit))
    assert browser.get("/settings/preview").status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/settings/preview")
    assert response.status_code == 302 and "/login" in response.location


def test_a_unit_head_previews_only_their_own_unit(app, session, make_user, open_tasks):
    open_tasks()
    other = session.exec(select(Unit).where(Unit.code == "BXDD")).one()
    session.commit()
    browser = app.test_client()
    sign_in_on(browser, make_user("unit_head", "UBND"))
    assert browser.get(f"/settings/preview?unit={other.id}").status_code == 404
    assert "<select" not in browser.get("/settings/preview").text


def test_the_preview_lists_what_the_sweeps_then_queue(office, app, session, make_user, open_tasks):
    """Previewed on Monday 2 March 2026 before the sweep, then each day's sweep run: the lines
    about UBND's tasks that each sweep queues are exactly those previewed for that day."""
    head = make_user("unit_head", "UBND", full_name="Trần Văn Hùng")
    make_user("reviewer")
    make_user("leader")
    open_tasks()
    ubnd = session.exec(select(Unit).where(Unit.code == "UBND")).one()
    tasks = set(session.exec(select(Task.id).where(Task.unit_id == ubnd.id)).all())
    session.commit()
    office.at("2026-03-02T07:00")
    admin = app.test_client()
    sign_in_on(admin, make_user("admin"))
    page = admin.get(f"/settings/preview?unit={ubnd.id}").text
    assert "<select" in page
    previewed = preview_lines(page)
    assert previewed, "nothing previewed"
    mine = app.test_client()
    sign_in_on(mine, head)
    assert preview_lines(mine.get("/settings/preview").text) == previewed
    rules = {rule for lines in previewed.values() for rule, _t, _r in lines}
    assert {"opening", "before", "overdue", "escalation"} <= rules

    swept: dict[date, set] = {}
    day = date(2026, 3, 2)
    while day <= date(2026, 4, 1):  # every day, weekends too: those speak for the Monday
        result = sweep(office, f"{day.isoformat()}T07:30")
        session.expire_all()
        queued = session.exec(
            select(NotificationItem).where(NotificationItem.created_at == office.now())
        ).all()
        session.commit()
        got = {(i.rule, i.task_id, i.recipient_id) for i in queued if i.task_id in tasks}
        if got:
            swept.setdefault(result.day, set()).update(got)
        day += timedelta(days=1)
    assert swept == previewed
