"""The quarterly report, the spreadsheets and the calendar feed, opened with the libraries that
read them and checked against the database."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from sqlalchemy import event
from sqlmodel import select

from tests.conftest import HISTORY_NOW, Q1, Q2, ROOT, VIET_HUNG_PLAN, at
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed
from workflow.organisations.queries import find_unit
from workflow.periods import Quarter
from workflow.plans.models import Target
from workflow.plans.opening import open_quarter
from workflow.reporting.docx import render_quarterly_docx
from workflow.reporting.quarterly import excerpt, quarterly_report
from workflow.tasks.deadlines import DeadlineStatus
from workflow.tasks.models import Task
from workflow.tasks.operations import start_task, submit_report

EXAMPLE_PLAN = ROOT / "docs" / "examples" / "chuyen-doi-so-2026.yaml"


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
    assert (late.status, late.days_late) == (DeadlineStatus.AWAITING_REVIEW, 1)
    assert late.return_reason == "Thiếu số liệu"
    assert (lines["VI.2.7", "UBND"].days_late, lines["VI.1.5", "BXDD"].days_late) == (31, 5)
    counts = report.counts
    assert counts.total == 3 and counts.returned == 1
    assert counts.by_status == {
        DeadlineStatus.COMPLETED_ON_TIME: 0,
        DeadlineStatus.COMPLETED_LATE: 0,
        DeadlineStatus.AWAITING_REVIEW: 1,
        DeadlineStatus.OPEN_WITHIN_DEADLINE: 0,
        DeadlineStatus.OPEN_OVERDUE: 2,
    }


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
    """Nine statements, whatever the number of tasks and events."""
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
    assert len(statements) == 18


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


def highlighted(document) -> list[str]:
    """The text of every highlighted run, in the body and in its tables."""
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [
        run
        for table in document.tables
        for cell in table._cells
        for p in cell.paragraphs
        for run in p.runs
    ]
    return [run.text for run in runs if run.font.highlight_color == WD_COLOR_INDEX.YELLOW]


def every_text(document) -> str:
    return "\n".join([*paragraphs(document), *cell_texts(document)])


def table_rows(document, first_header: str) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == first_header)
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_party_header_title_and_layout(session, ward, history):
    document = docx_of(session, ward)[1]
    texts, cells = paragraphs(document), cell_texts(document)
    header = cells[0] + "\n" + cells[1]
    for text in (
        "ĐẢNG BỘ PHƯỜNG THỬ NGHIỆM",
        "BAN XÂY DỰNG ĐẢNG",
        "Số …-BC/…",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thử Nghiệm, ngày … tháng … năm …",  # the year too is the office's to write
    ):
        assert text in header
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện Kế hoạch về kế hoạch thử nghiệm năm 2026" in texts
    assert "Quý II/2026" in texts
    assert (
        "Thực hiện Kế hoạch của Ban Thường vụ Đảng ủy Phường, Ban Xây dựng Đảng báo cáo kết quả "
        "thực hiện Quý II/2026 như sau (số liệu tính đến ngày 20/06/2026):" in texts
    )
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


def test_it_is_an_official_text_in_vietnamese_with_numbered_pages(session, ward, history):
    """No software's name and no clock time in the text or the file's properties, only the
    cut-off day; the language is vi-VN; pages numbered from the second; every placeholder,
    and nothing else, highlighted."""
    document = docx_of(session, ward)[1]
    text = every_text(document)
    assert "Giao Việc" not in text and "giaoviec" not in text.lower()
    assert not re.search(r"\b\d{1,2}:\d{2}\b", text)  # no clock time
    core = document.core_properties
    assert "python-docx" not in (core.author, core.comments, core.last_modified_by)
    assert core.author == "Ban Xây dựng Đảng" and core.language == "vi-VN"
    language = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language.get(qn("w:val")) == "vi-VN"
    section = document.sections[0]
    assert section.different_first_page_header_footer  # no number on the first page
    assert "PAGE" in "".join(section.header._element.itertext())
    marks = highlighted(document)
    assert marks and set(marks) == {"…"}
    assert text.count("…") == len(marks)  # every "…" is one to fill in


def test_section_one_sums_up_by_part_of_the_plan_and_by_unit(session, ward, history):
    """Q2 on 20 June: counted with the four statuses (a report waiting for review is not
    "on time"), a table by part of the plan, a paragraph per unit with an excerpt of its own
    report; the plan's numbering is never a heading of the report."""
    document = docx_of(session, ward)[1]
    results = body_between(paragraphs(document), "I. KẾT QUẢ", "II. HẠN CHẾ")
    assert (
        "Quý II/2026, Kế hoạch giao 3 nhiệm vụ cho 2 đơn vị. Đến ngày 20/06/2026: 0 nhiệm vụ đã "
        "hoàn thành đúng hạn; 0 nhiệm vụ đã hoàn thành quá hạn; 1 nhiệm vụ đã báo cáo, đang chờ "
        "duyệt; 2 nhiệm vụ chưa hoàn thành, quá hạn; 0 nhiệm vụ chưa hoàn thành, còn trong hạn. "
        "Có 1 nhiệm vụ bị trả lại yêu cầu bổ sung. Ngoài ra, còn 1 nhiệm vụ của các quý trước "
        "chưa hoàn thành, quá hạn (nêu tại mục II)." in results
    )
    assert table_rows(document, "Nội dung của Kế hoạch")[1:] == [
        ["Mục VI.1. Ban Xây dựng Đảng", "1", "0", "0", "0", "0", "1"],
        ["Mục VI.2. Ủy ban nhân dân Phường", "2", "0", "0", "1", "0", "1"],
        ["Tổng cộng", "3", "0", "0", "1", "0", "2"],
    ]
    assert (
        "- UBND Phường (người đứng đầu: đồng chí Nguyễn Văn An, Trần Thị Bình): 2 nhiệm vụ; "
        "1 đã báo cáo, chờ duyệt; 1 chưa hoàn thành, quá hạn." in results
    )
    assert "Báo cáo của đơn vị (VI.2.1): “Bổ sung số liệu”" in results
    headings = [t for t in paragraphs(document) if re.match(r"^[IVX]+\.\d", t)]
    assert headings == []


def test_a_long_report_text_is_cut_at_a_word_without_the_placeholder_mark():
    text = "Đã tổ chức " + "tuyên truyền sâu rộng " * 20
    cut = excerpt(text, 60)
    assert cut.endswith(" [...]") and "…" not in cut
    assert len(cut) <= 66 and text.startswith(cut.removesuffix(" [...]"))


def test_shortcomings_say_why_and_the_next_quarter_points_to_them(session, ward, history):
    document = docx_of(session, ward)[1]
    texts = paragraphs(document)
    shortcomings = body_between(texts, "II. HẠN CHẾ", "III. KẾT QUẢ")
    assert "- UBND Phường (người đứng đầu: đồng chí Nguyễn Văn An, Trần Thị Bình):" in shortcomings
    assert "- Chi bộ Khu dân cư số 2:" in shortcomings  # no active head: none named
    assert (
        "+ Chưa hoàn thành, quá hạn 97 ngày: VI.4.1. Quán triệt Nghị quyết "
        "(Quý I/2026, hạn 15/03/2026)." in shortcomings
    )
    assert (
        "+ Báo cáo chậm 1 ngày: VI.2.1. Cung cấp thông tin chính thống "
        "(hạn 15/06/2026, báo cáo ngày 16/06/2026)." in shortcomings
    )
    assert (
        "+ Bị trả lại yêu cầu bổ sung 1 lần: VI.2.1. Cung cấp thông tin chính thống; "
        "lý do lần gần nhất: “Thiếu số liệu”." in shortcomings
    )
    upcoming = body_between(texts, "IV. NHIỆM VỤ TRỌNG TÂM QUÝ III/2026", "3. Nhiệm vụ khác")
    assert "Kế hoạch không có định hướng riêng cho Quý III/2026." in upcoming
    assert (
        "3 đơn vị khẩn trương hoàn thành 3 nhiệm vụ chưa hoàn thành, quá hạn "
        "(nêu tại mục II và Phụ lục kèm theo)." in upcoming
    )
    assert "Nơi nhận:" in cell_texts(document)[-2 - len(document.tables[-1]._cells)]


def test_the_appendix_lists_every_task_on_landscape_pages(session, ward, history):
    report, document = docx_of(session, ward)
    appendix = document.sections[-1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height
    texts = paragraphs(document)
    assert "PHỤ LỤC" in texts and "DANH MỤC NHIỆM VỤ QUÝ II/2026 VÀ TÌNH TRẠNG THỰC HIỆN" in texts
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    assert rows[0] == [
        "TT",
        "Số hiệu",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Hạn",
        "Ngày báo cáo",
        "Tình trạng",
        "Ghi chú",
    ]
    assert len(rows) == 1 + len(report.lines) + len(report.overdue_before)
    by_task = {(row[1], row[3]): row for row in rows[1:]}
    assert by_task["VI.2.1", "UBND Phường"][4:] == [
        "15/06/2026",
        "16/06/2026",
        "Đã báo cáo, chờ duyệt",
        "quá hạn 1 ngày; trả lại 1 lần: Thiếu số liệu",
    ]
    assert by_task["VI.4.1", "Chi bộ Khu dân cư số 2"][6:] == [
        "Chưa hoàn thành, quá hạn",
        "nhiệm vụ Quý I/2026; quá hạn 97 ngày",
    ]


def test_targets_show_the_reported_figures_or_say_none_was(session, ward, open_tasks, make_user):
    """Q1: CB1 reports 97,5% against 100%, not yet approved: within a tenth of the goal while
    the plan runs, the target is at risk; in Q2 nobody reports a figure."""
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    head = make_user("unit_head", "CB1")
    target = session.exec(select(Target).where(Target.ref == "I.2.4")).one()
    start_task(session, head, task.id, task.version, now=at("2026-03-01T08:00"))
    session.refresh(task)
    submit_report(
        session,
        head,
        task.id,
        task.version,
        "Đã nộp",
        figures={target.id: "97.5"},
        now=at("2026-03-01T08:00"),
    )
    session.commit()
    document = docx_of(session, ward, Q1)[1]
    assert "Quý I/2026, 1/1 chỉ tiêu có số liệu báo cáo." in paragraphs(document)
    assert table_rows(document, "TT")[1] == [
        "1",
        "I.2.4. Đảng phí trực tuyến",
        "100%",
        "Chi bộ Khu dân cư số 1: 97,5% (chưa duyệt)",
        "Có nguy cơ không đạt: 97,5% (mốc quý: 100%); 0/1 đơn vị đạt",
    ]
    open_tasks("2026-Q2")
    document = docx_of(session, ward, Q2)[1]
    assert (
        "Quý II/2026, chưa có đơn vị nào báo cáo số liệu các chỉ tiêu của Kế hoạch."
        in paragraphs(document)
    )
    assert not re.search(r"\b0/0\b", every_text(document))


def test_the_viet_hung_plan_signed_by_the_board_or_by_the_standing_committee(session, load):
    organisation = load(VIET_HUNG_PLAN)
    open_quarter(session, organisation, Quarter(2026, 3), Clock())
    session.commit()
    report = quarterly_report(session, organisation, Quarter(2026, 3), Clock.at(HISTORY_NOW))
    kinds = session.exec(select(Task.kind).where(Task.period == "2026-Q3")).all()
    # the report counts the duties the units lead, not the coordinating units' contributions
    assert "contribution" in kinds
    assert report.counts.total == kinds.count("duty") == len(kinds) - kinds.count("contribution")

    board = Document(io.BytesIO(render_quarterly_docx(report)))
    texts, cells = paragraphs(board), cell_texts(board)
    assert "ĐẢNG BỘ PHƯỜNG VIỆT HƯNG" in cells[0]
    assert "Việt Hưng, ngày … tháng … năm …" in cells[1]
    assert (
        "- Giai đoạn tổng kết, đánh giá, định hướng giai đoạn tiếp theo (mục IV.4 của Kế hoạch)."
        in texts
    )
    signature = cells[-2 - len(board.tables[-1]._cells) : -len(board.tables[-1]._cells)]
    assert signature[0].splitlines()[1:] == ["- Thường trực Đảng ủy (b/c),", "- Lưu VT."]
    assert signature[1].splitlines()[0] == "TRƯỞNG BAN XÂY DỰNG ĐẢNG"
    assert any("I.2.1. Quán triệt Nghị quyết 57" in text for text in cells)

    standing = Document(io.BytesIO(render_quarterly_docx(report, signer="plan")))
    texts, cells = paragraphs(standing), cell_texts(standing)
    assert cells[0].splitlines() == ["…", "ĐẢNG ỦY PHƯỜNG VIỆT HƯNG", "*", "Số …-BC/ĐU"]
    assert any(
        t.startswith(
            "Thực hiện Kế hoạch số …-KH/ĐU ngày … của Ban Thường vụ Đảng ủy "
            "Phường, Ban Thường vụ Đảng ủy Phường báo cáo"
        )
        for t in texts
    )
    signature = cells[-2 - len(standing.tables[-1]._cells) : -len(standing.tables[-1]._cells)]
    assert "- Ban Tuyên giáo và Dân vận Thành ủy (b/c)," in signature[0]
    assert [line for line in signature[1].splitlines() if line] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Lê Đức Toàn",
    ]
    with pytest.raises(InvalidInput):
        render_quarterly_docx(report, signer="anyone")


def test_the_peoples_committee_variant(session, load):
    """Nghị định 30: the national title on one line (grid and cells of the same widths), a
    short line under the issuing body, "TM.", "Lưu: VT, …", the plan cited as
    "38/KH-UBND ngày 12/01/2026", and a goal of "≥ 1.500 lượt"."""
    organisation = load(EXAMPLE_PLAN)
    open_quarter(session, organisation, Quarter(2026, 1), Clock())
    session.commit()
    report = quarterly_report(session, organisation, Quarter(2026, 1), Clock.at("2026-04-02T09:00"))
    document = Document(io.BytesIO(render_quarterly_docx(report)))
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN XÃ TÂN LẬP"
    assert left.paragraphs[1]._p.pPr.find(qn("w:pBdr")) is not None  # the short line
    assert "Số: …/BC-UBND" in left.text
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    grid = [int(col.get(qn("w:w"))) for col in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [cell.width.twips for cell in header.rows[0].cells]
    title_width = len(right.paragraphs[0].text) * 0.30  # cm per bold capital at 13 pt, generous
    assert right.width.cm >= title_width  # so it stays on one line
    texts = paragraphs(document)
    assert any(
        t.startswith("Thực hiện Kế hoạch số 38/KH-UBND ngày 12/01/2026 của Ủy ban nhân dân xã")
        for t in texts
    )
    cells = cell_texts(document)
    assert "ĐẢNG CỘNG SẢN" not in "".join(cells)
    assert any("≥ 1.500 lượt" in cell for cell in cells)
    signature = cells[-2 - len(document.tables[-1]._cells) : -len(document.tables[-1]._cells)]
    assert signature[0].splitlines()[-1] == "- Lưu: VT, …."
    assert signature[1].splitlines()[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
