"""What a digest says: a subject that is true, the plan named once, why the reader gets it, and
escalations grouped by the unit to follow up with."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.conftest import SMALL_PLAN, sweep
from workflow.outbox.models import OutboxMessage


@pytest.fixture
def people(make_user):
    return {
        "hung": make_user("unit_head", "UBND", full_name="Trần Văn Hùng"),
        "binh": make_user("unit_head", "CB1", full_name="Lê Văn Bình"),
        "tuan": make_user("reviewer", full_name="Đỗ Minh Tuấn"),
        "khanh": make_user("leader", full_name="Vũ Quốc Khánh"),
    }


def mail_to(session, user) -> list[OutboxMessage]:
    session.expire_all()
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_id == user.id)
        .order_by(OutboxMessage.id)
    ).all()
    session.commit()
    return rows


def task_line(line: str) -> tuple[str, bool]:
    """A digest's task line as (ref and title, whether it is marked as a contribution): the
    marker is a bracketed word after the ref, whatever the mail's language."""
    ref, marker, title = re.fullmatch(r"(\S+) (\[[^\]]+\] )?(.+)", line).groups()
    return f"{ref} {title}", marker is not None


def test_the_quarter_s_list_is_new_only_on_the_day_it_is_due(office, session, people, make_user):
    """On 2 January UBND's head is told of the quarter's new task; a head named on 2 March, who
    gets the quarter's list late, is told of the quarter's tasks, not of new ones: the duty
    their unit leads, then, apart, its contribution to a duty UBND leads."""
    sweep(office, "2026-01-02T07:30")
    (opening,) = mail_to(session, people["hung"])
    assert opening.subject == "[Giao Việc] 02/01/2026: 1 nhiệm vụ mới của Quý I/2026"

    newcomer = make_user("unit_head", "BXDD", full_name="Nguyễn Thị Lan")
    sweep(office, "2026-03-02T07:30")
    (late,) = mail_to(session, newcomer)
    assert late.subject == "[Giao Việc] 02/03/2026: 2 nhiệm vụ của Quý I/2026"  # both kinds
    assert "Hội nghị báo cáo viên" in late.body_text
    assert "quá hạn 20 ngày" in late.body_text  # due 10/02: the list says so
    (section,) = late.body_text.split("\n== ")[1:]
    lines = re.findall(r"^([-*]) (.+)$", section, flags=re.MULTILINE)
    # the duty, then a group heading, then the contribution under it, marked as one
    assert [bullet for bullet, _text in lines] == ["-", "*", "-"]
    assert [task_line(text) for bullet, text in lines if bullet == "-"] == [
        ("VI.1.7 Hội nghị báo cáo viên", False),
        ("VI.2.1 Cung cấp thông tin chính thống", True),
    ]
    assert "hạn 10/03/2026 · còn 8 ngày" in section  # 5 days before UBND's report


def test_the_plan_is_named_once_or_each_plan_once(office, session, people, load, tmp_path):
    """One plan: named once at the top, under no task. Two plans: each named once, and each
    task carries its plan's code."""
    sweep(office, "2026-03-23T07:30")
    (one_plan,) = mail_to(session, people["tuan"])
    for body in (one_plan.body_text, one_plan.body_html):
        assert body.count("Kế hoạch thử nghiệm năm 2026") == 1
        assert body.count("Quán triệt Nghị quyết") == 2  # CB1's and CB2's

    edited = tmp_path / "second.yaml"
    text = SMALL_PLAN.read_text(encoding="utf-8")
    edited.write_text(
        text.replace("code: TN-2026", "code: CDS-2026").replace(
            "Kế hoạch thử nghiệm năm 2026", "Kế hoạch chuyển đổi số năm 2026"
        ),
        encoding="utf-8",
    )
    load(edited)
    session.commit()  # the loader's last read holds SQLite's write lock
    sweep(office, "2026-04-01T07:30")
    two_plans = mail_to(session, people["hung"])[-1].body_text
    assert two_plans.count("TN-2026 Kế hoạch thử nghiệm năm 2026") == 1
    assert two_plans.count("CDS-2026 Kế hoạch chuyển đổi số năm 2026") == 1
    assert "- TN-2026 · VI.2.1 Cung cấp thông tin chính thống" in two_plans
    assert "- CDS-2026 · VI.2.1 Cung cấp thông tin chính thống" in two_plans


def test_the_footer_says_why_each_reader_gets_the_mail(office, session, people):
    """A head gets their unit's tasks; a reviewer and a leader get every unit's, for their
    role: each footer says which, and whether the mail can be switched off."""
    sweep(office, "2026-03-23T07:30")
    head = mail_to(session, people["hung"])[0].body_text
    assert "với tư cách trưởng đơn vị UBND Phường, đơn vị được giao thực hiện" in head
    assert "Để tắt thư nhắc việc hằng ngày, vào trang cài đặt thông báo:" in head
    reviewer = mail_to(session, people["tuan"])[0].body_text
    assert "với tư cách người duyệt báo cáo" in reviewer and "không phân biệt đơn vị" in reviewer
    leader = mail_to(session, people["khanh"])[0].body_text
    assert "với tư cách lãnh đạo" in leader and "không phân biệt đơn vị" in leader
    for overseer in (reviewer, leader):
        assert "được giao phụ trách" not in overseer and "trưởng đơn vị UBND" not in overseer
        assert "Thư đôn đốc nhiệm vụ quá hạn không tắt được." in overseer  # escalations only


def test_escalations_are_grouped_by_unit_with_its_heads(office, session, people, make_user):
    """On 23 March four duties of four units are a week overdue, and the three contributions
    to VI.2.1 (due 10 March) nearly two: the reviewer reads each unit once, with its heads (or
    that it has none), and its tasks under it, oldest overdue first."""
    make_user("unit_head", "UBND", full_name="Nguyễn Văn An")
    sweep(office, "2026-03-23T07:30")
    (row,) = mail_to(session, people["tuan"])
    assert row.subject == "[Giao Việc] 23/03/2026: 7 nhiệm vụ quá hạn cần đôn đốc"
    units = re.findall(r"^\* (.+)$", row.body_text, flags=re.MULTILINE)
    # the cells' contributions, overdue since 10/03, put them before UBND (since 15/03)
    assert units == [
        "Ban Xây dựng Đảng · Trưởng đơn vị: chưa có tài khoản trưởng đơn vị",
        "Chi bộ Khu dân cư số 1 · Trưởng đơn vị: Lê Văn Bình",
        "Chi bộ Khu dân cư số 2 · Trưởng đơn vị: chưa có tài khoản trưởng đơn vị",
        "UBND Phường · Trưởng đơn vị: Trần Văn Hùng, Nguyễn Văn An",
    ]
    under = [part.split("\n- ")[1:] for part in row.body_text.split("\n* ")[1:]]
    contribution = ("VI.2.1 Cung cấp thông tin chính thống", True)
    assert [[task_line(task.split("\n")[0]) for task in tasks] for tasks in under] == [
        [("VI.1.7 Hội nghị báo cáo viên", False), contribution],
        [contribution, ("VI.4.1 Quán triệt Nghị quyết", False)],
        [contribution, ("VI.4.1 Quán triệt Nghị quyết", False)],
        [("VI.2.1 Cung cấp thông tin chính thống", False)],
    ]
    assert row.body_text.count("Trần Văn Hùng") == 1
    assert row.body_html.count("<strong>UBND Phường</strong>") == 1
