"""The quarterly report as a Word document, laid out as the office would sign it.

Party documents follow Hướng dẫn 36-HD/VPTW (issuing body and number top left, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the place and date top right); a People's Committee's follow Nghị định 30/2020
("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc"). Times New Roman 14 pt on
A4. Every figure and name comes from the data; what the office writes (number, date, assessment,
signer) is a highlighted "…" to fill in.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

from workflow.periods import Quarter
from workflow.plans.goals import amount_text, goal_text
from workflow.reporting.quarterly import QuarterlyReport, TaskLine

FONT = "Times New Roman"
BODY_SIZE = 14
PLACEHOLDER = "…"
PAGE = {"width": Mm(210), "height": Mm(297)}
TARGET_WIDTHS = (1.0, 5.5, 2.2, 5.3, 2.0)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}


def local_day(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%d/%m/%Y")


def local_time(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%H:%M ngày %d/%m/%Y")


def render_quarterly_docx(report: QuarterlyReport) -> bytes:
    """The report as .docx bytes."""
    document = Document()
    _page_setup(document)
    if report.organisation.kind != "party":
        _state_header(document, report)
    else:
        _party_header(document, report)
    _title(document, report)
    _results(document, report)
    _shortcomings(document, report)
    _targets(document, report)
    _next_quarter(document, report)
    _signature(document, report)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_SIZE)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.1


def _run(paragraph: Paragraph, text: str, *, bold=False, italic=False, underline=False, size=None):
    """Add ``text``; each "…" is a run of its own, highlighted for the office to fill in."""
    pieces = text.split(PLACEHOLDER)
    for index, piece in enumerate(pieces):
        for chunk, highlight in ((piece, False), (PLACEHOLDER, True)):
            if (highlight and index == len(pieces) - 1) or not chunk:
                continue
            run = paragraph.add_run(chunk)
            run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
            if size:
                run.font.size = Pt(size)
            if highlight:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _line(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.first_line_indent = None
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _body(document, *parts: str | tuple[str, dict], indent=True) -> Paragraph:
    """A justified body paragraph; a part ``(text, style)`` is styled, and a "…" part is
    highlighted for the office to fill in."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, {})
        _run(paragraph, text, **style)
    return paragraph


def _heading(document, text: str) -> Paragraph:
    return _body(document, (text, {"bold": True}))


def _two_columns(document, widths: tuple[float, float]):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return table.rows[0].cells


def _date_line(report: QuarterlyReport) -> str:
    year = report.now.astimezone(report.zone).year
    place = report.organisation.place or PLACEHOLDER
    return f"{place}, ngày {PLACEHOLDER} tháng {PLACEHOLDER} năm {year}"


def _party_header(document, report: QuarterlyReport) -> None:
    left, right = _two_columns(document, (7.5, 9.0))
    _line(left, report.organisation.name.upper(), size=14)
    if report.issuing_unit is not None:
        _line(left, report.issuing_unit.display_name.upper(), bold=True, size=14)
    _line(left, "*", size=14)
    _line(left, f"Số {PLACEHOLDER}-BC/{PLACEHOLDER}", size=14)
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    _line(right, "", size=14)
    _line(right, _date_line(report), italic=True, size=14)


def _state_header(document, report: QuarterlyReport) -> None:
    """The state's layout, with the national motto: a People's Committee, the Front, a mass
    organisation, an election body."""
    left, right = _two_columns(document, (5.5, 11.0))
    _line(left, report.organisation.name.upper(), bold=True, size=13)
    _line(left, "", size=13)
    _line(left, f"Số: {PLACEHOLDER}/{report_symbol(report)}", size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=14)
    _line(right, "", size=13)
    _line(right, _date_line(report), italic=True, size=14)


def report_symbol(report: QuarterlyReport) -> str:
    """The report's symbol from the plan's: ``KH-UBBC`` gives ``BC-UBBC`` (``BC-UBND`` when
    the plan has none)."""
    symbol = report.plan.symbol or "KH-UBND"
    for prefix in ("KH-", "KH/"):
        if symbol.startswith(prefix):
            return f"BC{prefix[-1]}{symbol.removeprefix(prefix)}"
    return "BC-UBND"


def plan_name(report: QuarterlyReport) -> str:
    """``Kế hoạch số …-KH/ĐU`` (the number left to fill in when the plan file has none)."""
    plan = report.plan
    number_part = plan.number or PLACEHOLDER
    return f"Kế hoạch số {number_part}-{plan.symbol}" if plan.symbol else "Kế hoạch"


def summary_line(report: QuarterlyReport) -> str:
    title = report.plan.title
    return f"Kết quả thực hiện {plan_name(report)} về {title[:1].lower()}{title[1:]}"


def _title(document, report: QuarterlyReport) -> None:
    _line(document, "")
    _line(document, "BÁO CÁO", bold=True, size=15, after=0)
    _line(document, summary_line(report), bold=True, size=14)
    _line(document, f"Quý {report.quarter.roman}", bold=True, size=14)
    _line(document, "-----", size=14, after=6)
    issuer = report.issuing_unit.display_name if report.issuing_unit else PLACEHOLDER
    _body(
        document,
        f"Thực hiện {plan_name(report)} của {report.plan.issuing_body}, {issuer} tổng hợp kết "
        f"quả thực hiện Quý {report.quarter.roman} như sau (số liệu tổng hợp trên hệ thống "
        f"Giao Việc đến {local_time(report.now, report.zone)}):",
    )


def _task_status(line: TaskLine, zone: ZoneInfo) -> str:
    """What a unit did with one task, in facts: reported when, on time or late, decided when."""
    label = f" ({line.occurrence_label})" if line.occurrence_label else ""
    if line.first_reported_at is None:
        due = f"hạn {local_day(line.due_at, zone)}"
        late = ", đã quá hạn" if line.overdue else ""
        return f"{line.unit_name}{label}: {line.state_label.lower()}, chưa báo cáo ({due}{late})"
    timing = "đúng hạn" if line.on_time else f"chậm so với hạn {local_day(line.due_at, zone)}"
    parts = [f"báo cáo ngày {local_day(line.first_reported_at, zone)} ({timing})"]
    if line.state == "reviewed" and line.decided_at:
        parts.append(f"đã duyệt ngày {local_day(line.decided_at, zone)}")
    elif line.state == "reported":
        parts.append("đang chờ duyệt")
    else:
        parts.append(line.state_label.lower())
    if line.times_returned:
        parts.append(f"bị trả lại {line.times_returned} lần")
    return f"{line.unit_name}{label}: " + "; ".join(parts)


def _results(document, report: QuarterlyReport) -> None:
    totals = report.totals
    units = len({line.unit_code for line in report.lines})
    _heading(document, "I. KẾT QUẢ THỰC HIỆN")
    _heading(document, "1. Tình hình chung")
    _body(
        document,
        f"Trong Quý {report.quarter.roman}, Kế hoạch giao {totals.expected} nhiệm vụ cho "
        f"{units} đơn vị; {totals.reported} nhiệm vụ đã báo cáo ({totals.on_time} đúng hạn), "
        f"{totals.approved} nhiệm vụ đã được duyệt; {totals.returned} nhiệm vụ bị trả lại yêu "
        f"cầu bổ sung; {totals.overdue} nhiệm vụ quá hạn chưa báo cáo.",
    )
    _heading(document, "2. Kết quả theo từng nội dung")
    for section_ref, section_title, duties in report.by_section():
        _body(document, (f"{section_ref}. {section_title}".rstrip(". "), {"bold": True}))
        for ref, title, lines in duties:
            if ref != section_ref:
                _body(document, (f"{ref}. {title}", {"italic": True}))
            for line in lines:
                _body(document, f"- {_task_status(line, report.zone)}.")
                if line.report_text:
                    _body(document, (f"Nội dung báo cáo: {line.report_text}", {"size": 13}))
    _heading(document, "3. Đánh giá chung")
    _body(document, PLACEHOLDER)


def _shortcomings(document, report: QuarterlyReport) -> None:
    _heading(document, "II. HẠN CHẾ, TỒN TẠI")
    units = report.shortcomings()
    if not units:
        _body(document, "Các đơn vị báo cáo đầy đủ, đúng hạn; không có báo cáo bị trả lại.")
    for unit in units:
        heads = f" (người đứng đầu: {', '.join(unit.heads)})" if unit.heads else ""
        _body(document, (f"- {unit.unit_name}{heads}:", {"bold": True}))
        for line in unit.overdue:
            _body(
                document,
                f"+ Quá hạn chưa báo cáo: {line.ref}. {line.title} "
                f"(Quý {_roman(line.period)}, hạn {local_day(line.due_at, report.zone)}).",
            )
        for line in unit.returned:
            _body(
                document,
                f"+ Bị trả lại yêu cầu bổ sung {line.times_returned} lần: "
                f"{line.ref}. {line.title}.",
            )
        for line in unit.late:
            _body(
                document,
                f"+ Báo cáo chậm: {line.ref}. {line.title} "
                f"(hạn {local_day(line.due_at, report.zone)}, "
                f"báo cáo ngày {local_day(line.first_reported_at, report.zone)}).",
            )
    _body(document, "Nguyên nhân: ", PLACEHOLDER)


def _roman(period: str) -> str:
    return Quarter.parse(period).roman


def _targets(document, report: QuarterlyReport) -> None:
    _heading(document, "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    if not report.targets:
        _body(document, "Kế hoạch không có chỉ tiêu định lượng.")
        return
    headers = ("TT", "Chỉ tiêu", "Mục tiêu", "Kết quả đơn vị báo cáo", "Đơn vị đạt")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text, width in zip(table.rows[0].cells, headers, TARGET_WIDTHS, strict=True):
        cell.width = Cm(width)
        _cell_text(cell, text, bold=True)
    for index, target in enumerate(report.targets, start=1):
        cells = table.add_row().cells
        figures = [
            f"{f.unit_name}: {amount_text(f.value, target.unit_of_measure)}"
            + ("" if f.approved else " (chưa duyệt)")
            for f in target.figures
        ] or ["Chưa có đơn vị báo cáo"]
        values = (
            str(index),
            f"{target.ref}. {target.title}",
            goal_text(target.comparator, target.figure, target.unit_of_measure),
            "\n".join(figures),
            f"{target.reached}/{len(target.figures)}",
        )
        for cell, text in zip(cells, values, strict=True):
            _cell_text(cell, text)
    table.autofit = False
    for column, width in zip(table.columns, TARGET_WIDTHS, strict=True):
        column.width = Cm(width)
        for cell in column.cells:  # LibreOffice reads each cell's width, Word the grid's
            cell.width = Cm(width)


def _cell_text(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = None
    _run(paragraph, text, bold=bold, size=13)


def _next_quarter(document, report: QuarterlyReport) -> None:
    _heading(document, f"IV. NHIỆM VỤ TRỌNG TÂM QUÝ {report.next_quarter.roman}")
    _heading(document, "1. Theo định hướng của Kế hoạch")
    if not report.next_phases:
        _body(document, f"Kế hoạch không có định hướng riêng cho Quý {report.next_quarter.roman}.")
    for phase in report.next_phases:
        _body(document, (f"{phase.ref}. {phase.title}", {"italic": True}))
        for label, text in (
            ("Mục tiêu truyền thông", phase.goal),
            ("Nội dung trọng tâm", phase.content),
            ("Hình thức triển khai", phase.forms),
        ):
            if text:
                _body(document, (f"{label}: ", {"italic": True}), text)
    _heading(document, "2. Hoàn thành các nhiệm vụ còn quá hạn")
    overdue = [line for line in [*report.overdue_before, *report.lines] if line.overdue]
    if not overdue:
        _body(document, "Không có nhiệm vụ quá hạn.")
    for line in overdue:
        _body(
            document,
            f"- {line.unit_name}: {line.ref}. {line.title} "
            f"(Quý {_roman(line.period)}, hạn {local_day(line.due_at, report.zone)}).",
        )
    _heading(document, "3. Nhiệm vụ khác")
    _body(document, PLACEHOLDER)


def recipients(report: QuarterlyReport) -> list[str]:
    """ "Nơi nhận": the bodies the plan reports up to, for information, and the archive."""
    listed = report.plan.definition.get("plan", {}).get("recipients", [])
    upward = [
        name
        for name in listed
        if name.startswith("Thường trực") or "Thành ủy" in name or "Thành phố" in name
    ]
    lines = [f"- {name} (b/c)," for name in upward] or [f"- {PLACEHOLDER}"]
    return [*lines, "- Lưu VT."]


def _signature(document, report: QuarterlyReport) -> None:
    _line(document, "")
    left, right = _two_columns(document, (7.5, 8.5))
    _line(left, "Nơi nhận:", align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
    for text in recipients(report):
        _line(left, text, align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    if report.organisation.kind == "government":
        _line(right, "T/M ỦY BAN NHÂN DÂN", bold=True, size=14)
        _line(right, "CHỦ TỊCH", bold=True, size=14)
    elif report.organisation.kind != "party":
        _line(right, f"T/M {report.organisation.name.upper()}", bold=True, size=14)
        _line(right, "CHỦ TỊCH", bold=True, size=14)
    else:
        unit = report.issuing_unit
        title = unit.head_title.upper() if unit is not None and unit.head_title else PLACEHOLDER
        _line(right, title, bold=True, size=14)
    for _unused in range(3):
        _line(right, "", size=14)
    _line(right, PLACEHOLDER, bold=True, size=14)
