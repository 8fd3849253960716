"""The quarterly report, the spreadsheets and the calendar feed, opened with the libraries that
read them and checked against the database."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.shared import Mm, Pt
from sqlalchemy import event
from sqlmodel import select

from tests.conftest import HISTORY_NOW, Q1, Q2, VIET_HUNG_PLAN, at
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import NotAllowed
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit
from workflow.periods import Quarter
from workflow.plans.models import Target
from workflow.plans.opening import open_quarter
from workflow.reporting.docx import render_quarterly_docx
from workflow.reporting.quarterly import quarterly_report
from workflow.tasks.models import Task
from workflow.tasks.operations import start_task, submit_report


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def cell_texts(document) -> list[str]:
    return [cell.text for table in document.tables for cell in table._cells]


def docx_of(session, ward, quarter=Q2, now=HISTORY_NOW):
    report = quarterly_report(session, ward, quarter, Clock.at(now))
    return report, Document(io.BytesIO(render_quarterly_docx(report)))


def body_between(texts: list[str], start: str, end: str) -> list[str]:
    first = next(i for i, t in enumerate(texts) if t.startswith(start))
    last = next(i for i, t in enumerate(texts) if t.startswith(end))
    return texts[first:last]


# What the report gathers


def test_the_quarter_s_tasks_with_their_facts(session, ward, history):
    """Q2: UBND reported VI.2.1 a day late, was returned once and awaits review; VI.2.7 and
    BXDD's VI.1.5 are overdue; CB2's Q1 task is still overdue too."""
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    lines = {(line.ref, line.unit_code): line for line in report.lines}
    assert set(lines) == {("VI.2.1", "UBND"), ("VI.2.7", "UBND"), ("VI.1.5", "BXDD")}
    late = lines["VI.2.1", "UBND"]
    assert (late.state_label, late.on_time, late.times_returned) == ("Đã báo cáo", False, 1)
    assert late.first_reported_at == at("2026-06-16T09:00")
    assert late.decided_at == at("2026-06-17T09:00")
    assert late.reviewer == history.reviewer.username  # no full name: the user name
    assert late.report_text == "Bổ sung số liệu"
    assert late.heads == ("Nguyễn Văn An", "Trần Thị Bình")
    assert lines["VI.2.7", "UBND"].overdue and lines["VI.1.5", "BXDD"].overdue
    assert [(line.ref, line.unit_code) for line in report.overdue_before] == [("VI.4.1", "CB2")]
    totals = report.totals
    assert (totals.expected, totals.reported, totals.on_time, totals.approved) == (3, 1, 0, 0)
    assert (totals.returned, totals.overdue) == (1, 2)


def test_the_reviewer_who_decided_is_named(session, ward, history):
    """Q1: who approved CB1's report after two returns, and when."""
    history.reviewer.full_name = "Vũ Thị Hạnh"
    session.add(history.reviewer)
    session.commit()
    lines = {
        line.unit_code: line
        for line in quarterly_report(session, ward, Q1, Clock.at(HISTORY_NOW)).lines
    }
    assert lines["CB1"].reviewer == "Vũ Thị Hạnh"
    assert lines["CB1"].decided_at == at("2026-03-16T09:00")
    assert lines["CB1"].times_returned == 2
    assert lines["CB2"].reviewer is None and lines["CB2"].decided_at is None


def test_a_constant_number_of_statements(session, ward, history, db):
    """Eight statements, whatever the number of tasks and events."""
    statements = []

    def listener(connection, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db, "before_cursor_execute", listener)
    try:
        quarterly_report(session, ward, Q1, Clock.at(HISTORY_NOW))
        quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    finally:
        event.remove(db, "before_cursor_execute", listener)
    assert len(statements) == 16


def test_only_leaders_reviewers_and_admins_may_gather_it(session, ward, history):
    head = history.heads["UBND"]
    with pytest.raises(NotAllowed):
        quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW), viewer=head)
    assert quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW), viewer=history.reviewer).lines


def test_target_figures_of_the_latest_reports(session, ward, open_tasks):
    """A figure reported with the quarter's report counts, and is compared with the target."""
    task = open_tasks("2026-Q1")
    head = User(
        organisation_id=ward.id,
        username="bt.cb1",
        email="bt.cb1@example.vn",
        password_hash="!",
        role="unit_head",
        unit_id=find_unit(session, ward, "CB1").id,
        created_at=at("2026-01-01T08:00"),
    )
    session.add(head)
    session.commit()
    target = session.exec(select(Target).where(Target.ref == "I.2.4")).one()
    cb1 = task("VI.4.1", "CB1")
    start_task(session, head, cb1.id, cb1.version, now=at("2026-03-01T08:00"))
    session.refresh(cb1)
    submit_report(
        session,
        head,
        cb1.id,
        cb1.version,
        "Đã nộp",
        figures={target.id: "97.5"},
        now=at("2026-03-01T08:00"),
    )
    session.commit()
    (result,) = quarterly_report(session, ward, Q1, Clock.at(HISTORY_NOW)).targets
    assert (result.ref, result.figure, result.reached) == ("I.2.4", Decimal(100), 0)
    assert [(f.unit_name, f.value, f.approved) for f in result.figures] == [
        ("Chi bộ Khu dân cư số 1", Decimal("97.5"), False)
    ]


# The .docx


def test_the_party_header_title_and_layout(session, ward, history):
    document = docx_of(session, ward)[1]
    texts, cells = paragraphs(document), cell_texts(document)
    header = cells[0] + "\n" + cells[1]
    for text in (
        "ĐẢNG BỘ PHƯỜNG THỬ NGHIỆM",
        "BAN XÂY DỰNG ĐẢNG",
        "Số …-BC/…",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thử Nghiệm, ngày … tháng … năm 2026",
    ):
        assert text in header
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện Kế hoạch về kế hoạch thử nghiệm năm 2026" in texts
    assert "Quý II/2026" in texts
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)  # Word keeps twentieths of a point
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    top, bottom, left, right = (
        round(margin / Mm(1))
        for margin in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    )
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    runs = [run for p in document.paragraphs for run in p.runs]
    assert all(run.font.name in (None, "Times New Roman") for run in runs)
    assert all(run.font.size is None or Pt(13) <= run.font.size <= Pt(15) for run in runs)


def test_every_task_is_reported_once_with_its_facts(session, ward, history):
    document = docx_of(session, ward)[1]
    results = body_between(paragraphs(document), "I. KẾT QUẢ", "II. HẠN CHẾ")
    assert [t for t in results if t.startswith("- ")] == [
        "- UBND Phường: báo cáo ngày 16/06/2026 (chậm so với hạn 15/06/2026); đang chờ duyệt;"
        " bị trả lại 1 lần.",
        "- UBND Phường: đang thực hiện, chưa báo cáo (hạn 20/05/2026, đã quá hạn).",
        "- Ban Xây dựng Đảng (Sơ kết 6 tháng): đã giao, chưa báo cáo (hạn 15/06/2026, đã quá hạn).",
    ]
    assert "Nội dung báo cáo: Bổ sung số liệu" in results
    assert (
        "Trong Quý II/2026, Kế hoạch giao 3 nhiệm vụ cho 2 đơn vị; 1 nhiệm vụ đã báo cáo "
        "(0 đúng hạn), 0 nhiệm vụ đã được duyệt; 1 nhiệm vụ bị trả lại yêu cầu bổ sung; "
        "2 nhiệm vụ quá hạn chưa báo cáo." in results
    )


def test_shortcomings_by_unit_and_head_and_next_quarter(session, ward, history):
    document = docx_of(session, ward)[1]
    texts = paragraphs(document)
    shortcomings = body_between(texts, "II. HẠN CHẾ", "III. KẾT QUẢ")
    assert "- UBND Phường (người đứng đầu: Nguyễn Văn An, Trần Thị Bình):" in shortcomings
    assert "- Chi bộ Khu dân cư số 2:" in shortcomings  # no active head: none named
    assert (
        "+ Quá hạn chưa báo cáo: VI.4.1. Quán triệt Nghị quyết (Quý I/2026, hạn 15/03/2026)."
        in shortcomings
    )
    assert "+ Bị trả lại yêu cầu bổ sung 1 lần: VI.2.1. Cung cấp thông tin chính thống." in (
        shortcomings
    )
    upcoming = body_between(texts, "IV. NHIỆM VỤ TRỌNG TÂM QUÝ III/2026", "3. Nhiệm vụ khác")
    assert "Kế hoạch không có định hướng riêng cho Quý III/2026." in upcoming
    assert sum(t.startswith("- ") for t in upcoming) == 3  # CB2's Q1, UBND's and BXDD's Q2
    assert "Nơi nhận:" in cell_texts(document)[-2]
    assert cell_texts(document)[-2].endswith("- Lưu VT.")


def test_the_viet_hung_plan_s_phase_recipients_and_targets(session, load):
    organisation = load(VIET_HUNG_PLAN)
    open_quarter(session, organisation, Quarter(2026, 3), Clock())
    session.commit()
    report, document = docx_of(session, organisation, Quarter(2026, 3), HISTORY_NOW)
    texts, cells = paragraphs(document), cell_texts(document)
    assert "ĐẢNG BỘ PHƯỜNG VIỆT HƯNG" in cells[0]
    assert "Việt Hưng, ngày … tháng … năm 2026" in cells[1]
    assert "IV.4. Giai đoạn tổng kết, đánh giá, định hướng giai đoạn tiếp theo" in texts
    count = session.exec(select(Task).where(Task.period == "2026-Q3")).all()
    assert report.totals.expected == len(count)
    assert "- Thường trực Đảng ủy (b/c)," in cells[-2]
    assert "- Ban Tuyên giáo và Dân vận Thành ủy (b/c)," in cells[-2]
    assert "TRƯỞNG BAN XÂY DỰNG ĐẢNG" in cells[-1]
    assert any("I.2.1. Quán triệt Nghị quyết 57" in text for text in cells)


def test_the_government_header(session, ward, history):
    organisation = session.get(Organisation, ward.id)
    organisation.kind, organisation.name = "government", "Ủy ban nhân dân phường Thử Nghiệm"
    session.add(organisation)
    session.commit()
    document = docx_of(session, organisation)[1]
    cells = cell_texts(document)
    assert "ỦY BAN NHÂN DÂN PHƯỜNG THỬ NGHIỆM" in cells[0]
    assert "Số: …/BC-UBND" in cells[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in cells[1]
    assert "ĐẢNG CỘNG SẢN" not in "".join(cells)
    assert "T/M ỦY BAN NHÂN DÂN" in cells[-1]
