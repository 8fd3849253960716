"""What a loaded plan changes in a responsibility is kept, with when and who: the duty's own
history beside its tasks', shown on the task page."""

from __future__ import annotations

from sqlmodel import select

from tests.conftest import SMALL_PLAN, at
from workflow.clock import Clock
from workflow.plans.checks import parse_plan
from workflow.plans.models import Responsibility, ResponsibilityChange
from workflow.plans.store import load_plan


def changes(session, ref):
    return [
        (c.change, c.parts, c.by)
        for c in session.exec(
            select(ResponsibilityChange)
            .join(Responsibility)
            .where(Responsibility.ref == ref)
            .order_by(ResponsibilityChange.id)
        )
    ]


def test_each_load_records_what_it_added_changed_and_took_out(session, make_user):
    admin = make_user("admin")
    text = SMALL_PLAN.read_text(encoding="utf-8")
    assert changes(session, "VI.2.1") == [("created", [], None)]  # the fixture's load
    edited = text.replace(
        "Tổ chức cung cấp thông tin chính thống, thống nhất", "Cung cấp thông tin chính thống"
    ).replace(
        "    lead: [UBND]\n    coordinating: [BXDD, TCD]",
        "    lead: [UBND]\n    coordinating: [BXDD]",
    )
    load_plan(session, parse_plan(edited), Clock.at("2026-04-01T09:00"), admin)
    without = edited.replace(
        "  - ref: VI.1.7\n    section: VI.1\n    title: Hội nghị báo cáo viên\n"
        "    text: Tổ chức hội nghị báo cáo viên.\n    lead: [BXDD]\n"
        "    cadence: {kind: once, due: 2026-02-10}\n",
        "",
    )
    load_plan(session, parse_plan(without), Clock.at("2026-05-01T09:00"), admin)
    session.commit()
    assert changes(session, "VI.2.1") == [
        ("created", [], None),
        ("changed", ["text", "units"], admin.id),
    ]
    assert changes(session, "VI.1.7")[-1] == ("retired", [], admin.id)
    assert changes(session, "VI.4.1") == [("created", [], None)]  # untouched: nothing more
    when = session.exec(
        select(ResponsibilityChange.at).where(ResponsibilityChange.change == "retired")
    ).one()
    assert when == at("2026-05-01T09:00")


def test_loading_the_same_file_again_records_nothing(session, ward):
    load_plan(session, parse_plan(SMALL_PLAN.read_text(encoding="utf-8")), Clock())
    session.commit()
    assert len(session.exec(select(ResponsibilityChange)).all()) == len(
        session.exec(select(Responsibility)).all()
    )
