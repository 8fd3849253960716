"""A unit head's calendar feed (.ics), read back with icalendar."""

from __future__ import annotations

import re
from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import update
from sqlmodel import select

from tests.conftest import HISTORY_NOW, at
from workflow.clock import Clock
from workflow.organisations.models import Unit
from workflow.plans.models import Responsibility
from workflow.reporting.calendar import (
    alarm_day,
    calendar_feed,
    calendar_tasks,
    issue_calendar_token,
)
from workflow.tasks.models import Task
from workflow.working_days import WorkingCalendar

WORKING = WorkingCalendar()


def feed_of(ward, session, user) -> Calendar:
    tasks = calendar_tasks(session, user)
    clock = Clock.at(HISTORY_NOW)
    return Calendar.from_ical(calendar_feed(ward, tasks, "https://gv.example.vn", clock, WORKING))


def summary_of(event) -> tuple[str, str]:
    """(ref, unit) of an event summed up as "Hạn báo cáo REF: title – unit" (a duty) or "Hạn gửi
    nội dung phối hợp REF: title – unit" (a contribution)."""
    summary = str(event["summary"])
    ref = re.match(r"Hạn (?:báo cáo|gửi nội dung phối hợp) (\S+?)[:( ]", summary).group(1)
    return ref, summary.rsplit(" – ", 1)[1]


def alarms(event) -> list[tuple]:
    return [(a.decoded("trigger"), str(a["description"])) for a in event.walk("VALARM")]


def test_a_unit_head_s_feed_has_their_unit_s_tasks_with_alarms(session, ward, history):
    """VI.2.7, due Wednesday 20 May at 17:00, rings 14, 7, 3, 1 and 0 days before, each time
    when the office opens (07:30), not at 17:00; 3 days before is Sunday 17 May: Friday 15."""
    head = history.heads["UBND"]
    feed = feed_of(ward, session, head)
    events = feed.walk("VEVENT")
    ids = session.exec(select(Task.id).where(Task.unit_id == head.unit_id)).all()
    assert sorted(str(e["uid"]) for e in events) == sorted(
        f"task-{i}@DU-TEST.giaoviec" for i in ids
    )
    open_event = next(e for e in events if "VI.2.7" in str(e["summary"]))
    assert open_event.decoded("dtstart") == at("2026-05-20T17:00")
    assert str(open_event.decoded("dtstart").tzinfo) == "Asia/Ho_Chi_Minh"
    title = "VI.2.7 Tháng cao điểm dịch vụ công"
    assert alarms(open_event) == [
        (at("2026-05-06T07:30"), f"Còn 14 ngày (hạn 17:00 20/05/2026): {title}"),
        (at("2026-05-13T07:30"), f"Còn 7 ngày (hạn 17:00 20/05/2026): {title}"),
        (at("2026-05-15T07:30"), f"Còn 5 ngày (hạn 17:00 20/05/2026): {title}"),
        (at("2026-05-19T07:30"), f"Còn 1 ngày (hạn 17:00 20/05/2026): {title}"),
        (at("2026-05-20T07:30"), f"Hạn hôm nay, 17:00 20/05/2026: {title}"),
    ]
    done = next(e for e in events if "Đã duyệt" in str(e["description"]))
    assert "VI.2.1" in str(done["summary"])
    assert done.walk("VALARM") == []
    assert feed.walk("VTIMEZONE")


def test_alarms_are_absolute_utc_times_and_ring_once_a_day(session, ward, history):
    """CB2's VI.4.1 is due Sunday 15 March: the day before and the due day both fall back to
    Friday 13, which rings once; triggers are UTC date-times, as RFC 5545 asks."""
    feed = feed_of(ward, session, history.reviewer)
    [event] = [
        e for e in feed.walk("VEVENT") if summary_of(e) == ("VI.4.1", "Chi bộ Khu dân cư số 2")
    ]
    assert [trigger for trigger, _text in alarms(event)] == [
        at("2026-02-27T07:30"),  # 14 days before: Sunday 1 March
        at("2026-03-06T07:30"),  # 7 days before: Sunday 8 March
        at("2026-03-12T07:30"),
        at("2026-03-13T07:30"),  # 1 day before (Saturday) and the due day (Sunday)
    ]
    assert b"TRIGGER;VALUE=DATE-TIME:20260227T003000Z" in event.to_ical()
    # CB2's Q1 contribution to VI.2.1 rings against its own due time, Tuesday 10 March
    cb2_vi_2_1 = [
        e for e in feed.walk("VEVENT") if summary_of(e) == ("VI.2.1", "Chi bộ Khu dân cư số 2")
    ]
    assert [e.decoded("dtstart") for e in cb2_vi_2_1] == [
        at("2026-03-10T17:00"),  # Q1: 5 days before UBND's report of 15 March
        at("2026-06-10T17:00"),  # Q2
    ]
    contribution = cb2_vi_2_1[0]
    assert [trigger for trigger, _text in alarms(contribution)] == [
        at("2026-02-24T07:30"),
        at("2026-03-03T07:30"),
        at("2026-03-06T07:30"),  # 3 days before: Saturday 7 March
        at("2026-03-09T07:30"),
        at("2026-03-10T07:30"),
    ]


@pytest.mark.parametrize(
    ("due", "days_before", "rings"),
    [
        (date(2026, 5, 20), 0, date(2026, 5, 20)),  # a Wednesday
        (date(2026, 2, 23), 3, date(2026, 2, 13)),  # Friday 20 is in Tết (14-22 February)
        (date(2026, 5, 4), 4, date(2026, 4, 29)),  # Thursday 30 April, a holiday
        (date(2026, 3, 15), 0, date(2026, 3, 13)),  # due on a Sunday
    ],
)
def test_an_alarm_on_a_day_off_rings_on_the_working_day_before(due, days_before, rings):
    assert alarm_day(due, days_before, WORKING) == rings


def test_the_feed_says_its_charset_once(app, session, ward, history):
    """The feed's Content-Type is ``text/calendar; charset=utf-8``, the charset once."""
    token = issue_calendar_token(session, history.heads["UBND"], at("2026-06-20T09:00"))
    session.commit()
    response = app.test_client().get(f"/exports/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_control_characters_typed_into_a_title_or_a_unit_name_are_not_in_the_feed(
    session, ward, history
):
    """RFC 5545's text holds no control character but tab: a title pasted from Word (its
    vertical tab) or a unit name with an escape character still makes a feed a calendar
    reads, the words kept."""
    head = history.heads["UBND"]
    session.execute(
        update(Responsibility)
        .where(Responsibility.ref == "VI.2.7")
        .values(title="Tháng cao điểm\x0bdịch vụ\x01 công")
    )
    session.execute(update(Unit).where(Unit.code == "UBND").values(name="UBND\x1b Phường"))
    session.commit()
    content = calendar_feed(
        ward, calendar_tasks(session, head), "https://gv.example.vn", Clock.at(HISTORY_NOW), WORKING
    )
    assert re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", content) is None
    event = next(e for e in Calendar.from_ical(content).walk("VEVENT") if "VI.2.7" in e["summary"])
    assert str(event["summary"]) == "Hạn báo cáo VI.2.7: Tháng cao điểmdịch vụ công – UBND Phường"
