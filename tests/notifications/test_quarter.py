"""A whole quarter lived day by day: exactly which emails arrive, to whom, when, saying what."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from tests.notifications.conftest import BASE_URL
from workflow.clock import DEFAULT_ZONE
from workflow.tasks.operations import approve_report, return_report, start_task, submit_report

REASON = "Thiếu danh sách đại biểu dự hội nghị và ảnh chụp tài liệu."


@pytest.fixture
def people(session, make_user):
    """Heads of the four units (one reads English, one switched digests off), a reviewer and a
    leader who switched digests off (escalations still reach her)."""
    users = {
        "lan": make_user("unit_head", "BXDD", full_name="Nguyễn Thị Lan"),
        "hung": make_user("unit_head", "UBND", full_name="Trần Văn Hùng"),
        "binh": make_user("unit_head", "CB1", full_name="Lê Văn Bình", locale="en"),
        "hoa": make_user("unit_head", "CB2", full_name="Phạm Thị Hoa"),
        "tuan": make_user("reviewer", full_name="Đỗ Minh Tuấn"),
        "khanh": make_user("leader", full_name="Vũ Quốc Khánh"),
    }
    for name in ("hoa", "khanh"):
        users[name].email_digests = False
        session.add(users[name])
    session.commit()
    return users


def live_quarter(office, session, people, smtp_server, find_task):
    """Run the scheduler's jobs each day of 2026-Q1: quarter opening and sweep at 07:30, the
    minute sender after the day's actions at 10:00."""
    u = people

    def act(session, action, user, task, *args):
        session.refresh(task)
        action(session, user, task.id, task.version, *args, now=office.now())
        session.commit()

    actions = {
        date(2026, 2, 26): lambda: (
            act(session, start_task, u["lan"], find_task("VI.1.7", "BXDD")),
            act(session, submit_report, u["lan"], find_task("VI.1.7", "BXDD"), "Đã tổ chức."),
        ),
        date(2026, 3, 3): lambda: act(
            session, return_report, u["tuan"], find_task("VI.1.7", "BXDD"), REASON
        ),
        # Chi bộ 2 sends its contribution to VI.2.1 to UBND, which takes it in (not a reviewer).
        date(2026, 3, 4): lambda: (
            act(session, start_task, u["hoa"], find_task("VI.2.1", "CB2")),
            act(session, submit_report, u["hoa"], find_task("VI.2.1", "CB2"), "Đã gửi tin bài."),
        ),
        date(2026, 3, 5): lambda: act(
            session, submit_report, u["lan"], find_task("VI.1.7", "BXDD"), "Đã bổ sung."
        ),
        date(2026, 3, 10): lambda: act(
            session, approve_report, u["tuan"], find_task("VI.1.7", "BXDD"), ""
        ),
        date(2026, 3, 11): lambda: (
            act(session, start_task, u["hung"], find_task("VI.2.1", "UBND")),
            act(session, submit_report, u["hung"], find_task("VI.2.1", "UBND"), "Đã cập nhật."),
        ),
    }
    day = date(2026, 1, 1)
    while day <= date(2026, 3, 31):
        office.at(datetime.combine(day, time(7, 30)))
        office.open_quarter()
        office.sweep()
        office.send_outbox()
        if day in actions:
            office.at(datetime.combine(day, time(10, 0)))
            actions[day]()
        office.at(datetime.combine(day, time(10, 1)))
        office.send_outbox()
        day += timedelta(days=1)
    return smtp_server.mailbox.take()


def test_a_quarter_of_reminders(office, session, ward, people, smtp_server):
    """Which emails does each person get over 2026-Q1, on which day, with which subject?"""

    find_task = _finder(session)
    received = live_quarter(office, session, people, smtp_server, find_task)
    seen = [
        (m.at.astimezone(DEFAULT_ZONE).strftime("%d/%m %H:%M"), m.to[0].split("@")[0], m.subject)
        for m in received
    ]
    lan, hung, binh, tuan, khanh = "unit_head1", "unit_head2", "unit_head3", "reviewer5", "leader6"
    assert seen == [
        # Quarter opening on the first working day (1/1 is Tết Dương lịch); Hoa switched off.
        # Lan's and Bình's units coordinate VI.2.1: each also has its contribution to it.
        ("02/01 07:30", lan, "[Giao Việc] 02/01/2026: 2 nhiệm vụ mới của Quý I/2026"),
        ("02/01 07:30", hung, "[Giao Việc] 02/01/2026: 1 nhiệm vụ mới của Quý I/2026"),
        ("02/01 07:30", binh, "[Giao Việc] 02/01/2026: 2 new tasks of quarter I/2026"),
        # VI.1.7 due Tue 10/02: 14 and 7 days before; 3 days before is a Saturday, moved to
        # Monday 09/02, where the 1-day point also falls: one email.
        ("27/01 07:30", lan, "[Giao Việc] 27/01/2026: 1 nhiệm vụ sắp đến hạn"),
        ("03/02 07:30", lan, "[Giao Việc] 03/02/2026: 1 nhiệm vụ sắp đến hạn"),
        ("09/02 07:30", lan, "[Giao Việc] 09/02/2026: 1 nhiệm vụ sắp đến hạn"),
        ("10/02 07:30", lan, "[Giao Việc] 10/02/2026: 1 nhiệm vụ sắp đến hạn"),
        ("11/02 07:30", lan, "[Giao Việc] 11/02/2026: 1 nhiệm vụ quá hạn"),
        # 18/02 (overdue again) and 17/02 (escalation) fall in Tết: both on Monday 23/02.
        ("23/02 07:30", lan, "[Giao Việc] 23/02/2026: 1 nhiệm vụ quá hạn"),
        ("23/02 07:30", tuan, "[Giao Việc] 23/02/2026: 1 nhiệm vụ quá hạn cần đôn đốc"),
        ("23/02 07:30", khanh, "[Giao Việc] 23/02/2026: 1 nhiệm vụ quá hạn cần đôn đốc"),
        # The contributions to VI.2.1 are due Tue 10/03 (5 days before UBND's report): 14 days
        # before, to the coordinating units' heads.
        ("24/02 07:30", lan, "[Giao Việc] 24/02/2026: 1 nhiệm vụ sắp đến hạn"),
        ("24/02 07:30", binh, "[Giao Việc] 24/02/2026: 1 task due soon"),
        ("25/02 07:30", lan, "[Giao Việc] 25/02/2026: 1 nhiệm vụ quá hạn"),
        # Reported 26/02. Monday 02/03: the weekly review digest; VI.2.1 and VI.4.1 (due Sun
        # 15/03) are 14 days away on Sunday 01/03: moved to Monday.
        ("02/03 07:30", hung, "[Giao Việc] 02/03/2026: 1 nhiệm vụ sắp đến hạn"),
        ("02/03 07:30", binh, "[Giao Việc] 02/03/2026: 1 task due soon"),
        ("02/03 07:30", tuan, "[Giao Việc] 02/03/2026: 1 báo cáo chờ duyệt"),
        # The contributions 7 days before.
        ("03/03 07:30", lan, "[Giao Việc] 03/03/2026: 1 nhiệm vụ sắp đến hạn"),
        ("03/03 07:30", binh, "[Giao Việc] 03/03/2026: 1 task due soon"),
        # Returned at 10:00: the head is told within the minute, with the reason.
        ("03/03 10:01", lan, "[Giao Việc] Báo cáo bị trả lại: VI.1.7 Hội nghị báo cáo viên"),
        # Returned and still overdue: the weekly overdue reminder goes on.
        ("04/03 07:30", lan, "[Giao Việc] 04/03/2026: 1 nhiệm vụ quá hạn"),
        # Chi bộ 2's contribution sent at 10:00: UBND's head, who leads VI.2.1, is told at once.
        (
            "04/03 10:01",
            hung,
            "[Giao Việc] Đã nhận nội dung phối hợp: VI.2.1 Cung cấp thông tin chính thống",
        ),
        # The contributions 3 days before (Sat 07/03) and 1 day before: Monday. The review
        # digest has VI.1.7 only: Chi bộ 2's contribution, sent 04/03, is UBND's to take in.
        ("09/03 07:30", lan, "[Giao Việc] 09/03/2026: 1 nhiệm vụ sắp đến hạn"),
        ("09/03 07:30", hung, "[Giao Việc] 09/03/2026: 1 nhiệm vụ sắp đến hạn"),
        ("09/03 07:30", binh, "[Giao Việc] 09/03/2026: 2 tasks due soon"),
        ("09/03 07:30", tuan, "[Giao Việc] 09/03/2026: 1 báo cáo chờ duyệt"),
        # The contributions' due day, then 1 day overdue.
        ("10/03 07:30", lan, "[Giao Việc] 10/03/2026: 1 nhiệm vụ sắp đến hạn"),
        ("10/03 07:30", binh, "[Giao Việc] 10/03/2026: 1 task due soon"),
        ("11/03 07:30", lan, "[Giao Việc] 11/03/2026: 1 nhiệm vụ quá hạn"),
        ("11/03 07:30", binh, "[Giao Việc] 11/03/2026: 1 task overdue"),
        # UBND reported on 11/03: only Chi bộ 1 is reminded 3 days before.
        ("12/03 07:30", binh, "[Giao Việc] 12/03/2026: 1 task due soon"),
        # 1 day before (Sat), the due day (Sun) and 1 day overdue (Mon) all land on Monday.
        ("16/03 07:30", binh, "[Giao Việc] 16/03/2026: 1 task overdue"),
        ("16/03 07:30", tuan, "[Giao Việc] 16/03/2026: 1 báo cáo chờ duyệt"),
        # A week overdue: the two contributions not sent are escalated (Chi bộ 2's was sent).
        ("17/03 07:30", tuan, "[Giao Việc] 17/03/2026: 2 nhiệm vụ quá hạn cần đôn đốc"),
        ("17/03 07:30", khanh, "[Giao Việc] 17/03/2026: 2 nhiệm vụ quá hạn cần đôn đốc"),
        ("18/03 07:30", lan, "[Giao Việc] 18/03/2026: 1 nhiệm vụ quá hạn"),
        ("18/03 07:30", binh, "[Giao Việc] 18/03/2026: 1 task overdue"),
        # Escalation (Sun 22/03 -> Mon 23/03) of both cells, grouped with the review digest.
        ("23/03 07:30", binh, "[Giao Việc] 23/03/2026: 1 task overdue"),
        (
            "23/03 07:30",
            tuan,
            "[Giao Việc] 23/03/2026: 2 nhiệm vụ quá hạn cần đôn đốc, 1 báo cáo chờ duyệt",
        ),
        ("23/03 07:30", khanh, "[Giao Việc] 23/03/2026: 2 nhiệm vụ quá hạn cần đôn đốc"),
        # The contributions' overdue reminder, 15 days after.
        ("25/03 07:30", lan, "[Giao Việc] 25/03/2026: 1 nhiệm vụ quá hạn"),
        ("25/03 07:30", binh, "[Giao Việc] 25/03/2026: 1 task overdue"),
        ("30/03 07:30", binh, "[Giao Việc] 30/03/2026: 1 task overdue"),
        ("30/03 07:30", tuan, "[Giao Việc] 30/03/2026: 1 báo cáo chờ duyệt"),
    ]
    by_key = {(when, to): m for (when, to, _subject), m in zip(seen, received, strict=True)}

    opening = by_key[("02/01 07:30", lan)]
    assert str(opening.message["To"]) == "Nguyễn Thị Lan <unit_head1@example.vn>"
    assert opening.message["From"].addresses[0].display_name == "Giao Việc Phường Thử Nghiệm"
    task = find_task("VI.1.7", "BXDD")
    for body in (opening.text, opening.html):
        assert "Kính gửi đồng chí Nguyễn Thị Lan" in body
        assert "Nhiệm vụ của Ban Xây dựng Đảng trong Quý I/2026" in body
        assert "Hội nghị báo cáo viên" in body and "hạn 10/02/2026" in body
        assert "còn 39 ngày" in body
        assert f"{BASE_URL}/tasks/{task.id}" in body
        assert body.count("TN-2026 Kế hoạch thử nghiệm năm 2026") == 1
        assert "trưởng đơn vị Ban Xây dựng Đảng, đơn vị được giao thực hiện" in body
        assert f"{BASE_URL}/settings/notifications" in body
    assert opening.message["List-Unsubscribe"].startswith(f"<{BASE_URL}/settings/unsubscribe/")

    returned = by_key[("03/03 10:01", lan)]
    assert REASON in returned.text and REASON in returned.html
    assert "Đỗ Minh Tuấn" in returned.text and "quá hạn 21 ngày" in returned.text

    contributed = by_key[("04/03 10:01", hung)]
    for body in (contributed.text, contributed.html):
        assert "Phạm Thị Hoa đã gửi nội dung phối hợp của Chi bộ Khu dân cư số 2" in body
        assert "Đã gửi tin bài." in body
        assert f"{BASE_URL}/tasks/{find_task('VI.2.1', 'CB2').id}" in body

    grouped = by_key[("23/03 07:30", tuan)].text
    assert "Chi bộ Khu dân cư số 1" in grouped and "Chi bộ Khu dân cư số 2" in grouped
    assert "* Chi bộ Khu dân cư số 1 · Trưởng đơn vị: Lê Văn Bình" in grouped
    assert "* Chi bộ Khu dân cư số 2 · Trưởng đơn vị: Phạm Thị Hoa" in grouped
    assert "với tư cách người duyệt báo cáo" in grouped
    assert "Quán triệt Nghị quyết" in grouped and "đã chờ 12 ngày" in grouped
    leader = by_key[("23/03 07:30", khanh)].text
    assert "quá hạn 8 ngày" in leader and "đã tắt thư nhắc việc" in leader
    assert "với tư cách lãnh đạo" in leader
    assert by_key[("23/03 07:30", khanh)].message["List-Unsubscribe"] is None
    assert by_key[("16/03 07:30", binh)].text.startswith("Dear Lê Văn Bình,")
    # In a head's digest, the unit's contribution comes after the duty it leads, apart, marked
    # (Bình reads English: the Vietnamese of these words is still to come).
    soon = by_key[("09/03 07:30", binh)].text
    duty = soon.index("- VI.4.1 Quán triệt Nghị quyết\n  due 15/03/2026")
    heading = soon.index(
        "* As a coordinating unit: contributions due to the lead unit before its report"
    )
    contribution = soon.index(
        "- VI.2.1 [contribution] Cung cấp thông tin chính thống\n  due 10/03/2026 · 1 day left"
    )
    assert duty < heading < contribution
    assert f"{BASE_URL}/tasks/{find_task('VI.2.1', 'CB1').id}" in soon
    # An escalated contribution is followed up with the coordinating unit that owes it.
    escalated = by_key[("17/03 07:30", tuan)].text
    assert "* Ban Xây dựng Đảng · Trưởng đơn vị: Nguyễn Thị Lan" in escalated
    assert "* Chi bộ Khu dân cư số 1 · Trưởng đơn vị: Lê Văn Bình" in escalated
    assert "Chi bộ Khu dân cư số 2" not in escalated and "UBND" not in escalated
    assert escalated.count("Cung cấp thông tin chính thống") == 2
    assert len({m.message["Message-ID"] for m in received}) == len(received)


def _finder(session):
    from sqlmodel import select

    from workflow.organisations.models import Unit
    from workflow.plans.models import Responsibility
    from workflow.tasks.models import Task

    def find_task(ref, unit_code):
        return session.exec(
            select(Task)
            .join(Responsibility)
            .join(Unit, Unit.id == Task.unit_id)
            .where(Responsibility.ref == ref, Unit.code == unit_code, Task.period == "2026-Q1")
        ).one()

    return find_task
