"""A unit head's calendar feed (.ics), read back with icalendar."""

from __future__ import annotations

from icalendar import Calendar
from sqlmodel import select

from tests.conftest import HISTORY_NOW, at
from workflow.clock import Clock
from workflow.reporting.calendar import calendar_feed, calendar_tasks
from workflow.tasks.models import Task


def test_a_unit_head_s_feed_has_their_unit_s_tasks_with_alarms(session, ward, history):
    head = history.heads["UBND"]
    tasks = calendar_tasks(session, head)
    feed = Calendar.from_ical(
        calendar_feed(ward, tasks, "https://gv.example.vn", Clock.at(HISTORY_NOW))
    )
    events = feed.walk("VEVENT")
    ids = session.exec(select(Task.id).where(Task.unit_id == head.unit_id)).all()
    assert sorted(str(e["uid"]) for e in events) == sorted(
        f"task-{i}@DU-TEST.giaoviec" for i in ids
    )
    open_event = next(e for e in events if "VI.2.7" in str(e["summary"]))
    assert open_event.decoded("dtstart") == at("2026-05-20T17:00")
    assert str(open_event.decoded("dtstart").tzinfo) == "Asia/Ho_Chi_Minh"
    triggers = sorted(-a.decoded("trigger").days for a in open_event.walk("VALARM"))
    assert triggers == [0, 1, 3, 7, 14]
    done = next(e for e in events if "Đã duyệt" in str(e["description"]))
    assert "VI.2.1" in str(done["summary"])
    assert done.walk("VALARM") == []
    assert feed.walk("VTIMEZONE")
