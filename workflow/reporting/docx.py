"""The quarterly report as a Word document, laid out as the office would sign it.

Party documents follow Hướng dẫn 36-HD/VPTW (issuing body and number top left, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the place and date top right); a People's Committee's follow Nghị định 30/2020
("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc", "TM.", "Lưu: VT"). Times
New Roman 14 pt on A4, pages numbered from the second, Vietnamese as the document's language.

It reads as a clerk writes it: section I sums up by part of the plan and by unit, with short
excerpts of the units' own reports; section II names what is late or was returned, and why;
the full list of tasks is the appendix (Phụ lục). The plan's numbering appears only as
references, never as the report's headings. Every figure and name comes from the data, and the
text names only the data's cut-off day (no software, no clock time); what the office writes
(number, date, assessment, signer's name when unknown) is a highlighted "…" to fill in.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.periods import Quarter
from workflow.plans.goals import amount_text, goal_text
from workflow.reporting.quarterly import (
    VI_STATUS_LABELS,
    Counts,
    QuarterlyReport,
    TargetResult,
    TaskLine,
)
from workflow.reporting.safe_text import xml_safe
from workflow.targets.status import TargetStatus
from workflow.tasks.deadlines import DeadlineStatus

FONT = "Times New Roman"
BODY_SIZE = 14
FILL = "\ue000"  # where the office writes: shown as a highlighted "…" (data may hold "…")
PAGE = {"width": Mm(210), "height": Mm(297)}
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_CM = 16.5  # A4 less the margins
LANGUAGE = "vi-VN"
# Who signs: the body that compiles the report (the board; a People's Committee's chair), or
# whoever signed the plan (T/M BAN THƯỜNG VỤ ...), from the plan file's ``signer``.
SIGNERS = ("issuer", "plan")
STATUS_ORDER = (
    DeadlineStatus.COMPLETED_ON_TIME,
    DeadlineStatus.COMPLETED_LATE,
    DeadlineStatus.AWAITING_REVIEW,
    DeadlineStatus.OPEN_WITHIN_DEADLINE,
    DeadlineStatus.OPEN_OVERDUE,
)
SECTION_WIDTHS = (5.7, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8)
TARGET_WIDTHS = (1.0, 5.1, 2.6, 5.3, 2.5)
APPENDIX_WIDTHS = (1.0, 1.8, 7.0, 3.5, 2.2, 2.3, 3.3, 4.9)


NUMBER = re.compile(r"\d+(,\d+)?%?|—")  # a count, a rate or none: centred in its cell


def local_day(instant: datetime | date, zone: ZoneInfo) -> str:
    day = instant.astimezone(zone).date() if isinstance(instant, datetime) else instant
    return day.strftime("%d/%m/%Y")


def render_quarterly_docx(report: QuarterlyReport, signer: str = "issuer") -> bytes:
    """The report as .docx bytes, signed as ``signer`` (one of ``SIGNERS``) says."""
    if signer not in SIGNERS:
        raise InvalidInput(N_("Not a signer: %(value)s. Write issuer or plan."), value=signer)
    by_plan = signer == "plan"
    document = Document()
    _page_setup(document, report, by_plan)
    if report.organisation.kind == "party":
        _party_header(document, report, by_plan)
    else:
        _state_header(document, report)
    _title(document, report, by_plan)
    _results(document, report)
    _shortcomings(document, report)
    _targets(document, report)
    _next_quarter(document, report)
    _signature(document, report, by_plan)
    _appendix(document, report, by_plan)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


# The page


def _page_setup(document, report: QuarterlyReport, by_plan: bool) -> None:
    page_setup(
        document,
        author=_issuer(report, by_plan),
        title=f"Báo cáo kết quả thực hiện Kế hoạch, Quý {report.quarter.roman}",
        when=report.now,
    )


def page_setup(document, *, author: str, title: str, when: datetime) -> None:
    """An A4 page as the decrees on documents set it: margins, Times New Roman 14, Vietnamese,
    page numbers from the second page; the file says who wrote it, what it is and when."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_SIZE)
    properties = style.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), LANGUAGE)
    properties.append(language)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.1
    _page_numbers(section)
    core = document.core_properties
    core.author = core.last_modified_by = xml_safe(author)
    core.title = xml_safe(title)
    core.language, core.comments, core.keywords = LANGUAGE, "", ""
    core.created = core.modified = when


def _page_numbers(section) -> None:
    """The page number centred at the top of every page but the first (as both decrees say)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _run(paragraph: Paragraph, text: str, *, bold=False, italic=False, underline=False, size=None):
    """Add ``text``; each ``FILL`` becomes a highlighted "…" of its own for the office."""
    pieces = xml_safe(text).split(FILL)
    for index, piece in enumerate(pieces):
        for chunk, highlight in ((piece, False), ("…", True)):
            if (highlight and index == len(pieces) - 1) or not chunk:
                continue
            run = paragraph.add_run(chunk)
            run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
            if size:
                run.font.size = Pt(size)
            if highlight:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def centred_line(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.first_line_indent = None
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _rule(container, width_cm: float, within_cm: float) -> None:
    """A short centred line ``width_cm`` long in a column ``within_cm`` wide, as drawn under
    the issuing body, the motto and the title."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    indent = Cm(max((within_cm - width_cm) / 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    border, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for attribute, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1")):
        bottom.set(qn(attribute), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)
    paragraph.add_run().font.size = Pt(4)


def body(document, *parts: str | tuple[str, dict], indent=True) -> Paragraph:
    """A justified body paragraph; a part ``(text, style)`` is styled."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, {})
        _run(paragraph, text, **style)
    return paragraph


def heading(document, text: str) -> Paragraph:
    return body(document, (text, {"bold": True}))


def column_widths(table, widths: tuple[float, ...]) -> None:
    """Give the grid and every cell the same widths: Word reads the grid, LibreOffice the
    cells, and a grid that disagrees wraps a line that should fit."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _keep_whole(row) -> None:
    """A row read as one piece (a task, a signature) never splits over two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _two_columns(document, widths: tuple[float, float]):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    column_widths(table, widths)
    _keep_whole(table.rows[0])
    for cell in table.rows[0].cells:
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return table.rows[0].cells


def grid(document, headers: tuple[str, ...], size: int = 13):
    """A bordered table whose header row repeats on each page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, bold=True, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    return table


def _cell_text(cell, text: str, bold=False, size: int = 13, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = None
    if align is not None:
        paragraph.alignment = align
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph = cell.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, line, bold=bold, size=size)


def table_row(table, values: tuple[str, ...], size: int = 13, bold=False) -> None:
    cells = table.add_row().cells
    for cell, text in zip(cells, values, strict=True):
        align = WD_ALIGN_PARAGRAPH.CENTER if NUMBER.fullmatch(text) else None
        _cell_text(cell, text, bold=bold, size=size, align=align)
    _keep_whole(table.rows[-1])


# Who issues it and what it cites


def _issuer(report: QuarterlyReport, by_plan: bool) -> str:
    """Who reports, as the text names it: the board, the standing committee, the committee."""
    if report.organisation.kind != "party":
        return report.organisation.name
    if by_plan or report.issuing_unit is None:
        return report.plan.issuing_body
    return report.issuing_unit.display_name


def plan_citation(report: QuarterlyReport) -> str:
    """The plan as a document cites it: ``Kế hoạch số 38/KH-UBND ngày 12/01/2026`` (state) or
    ``Kế hoạch số …-KH/ĐU ngày …`` (party); what the plan file lacks is left to fill in."""
    plan = report.plan
    if not plan.symbol:
        return "Kế hoạch"
    joiner = "-" if report.organisation.kind == "party" else "/"
    issued = local_day(plan.issued_on, report.zone) if plan.issued_on else FILL
    return f"Kế hoạch số {plan.number or FILL}{joiner}{plan.symbol} ngày {issued}"


def report_symbol(report: QuarterlyReport) -> str:
    """The report's symbol from the plan's: ``KH-UBBC`` gives ``BC-UBBC``, ``KH/ĐU`` gives
    ``BC/ĐU`` (``BC-UBND`` when the plan has none)."""
    symbol = report.plan.symbol or "KH-UBND"
    for prefix in ("KH-", "KH/"):
        if symbol.startswith(prefix):
            return f"BC{prefix[-1]}{symbol.removeprefix(prefix)}"
    return "BC-UBND"


def summary_line(report: QuarterlyReport) -> str:
    title = report.plan.title
    name = plan_citation(report).split(" ngày ")[0]
    return f"Kết quả thực hiện {name} về {title[:1].lower()}{title[1:]}"


def cut_off(report: QuarterlyReport) -> str:
    return local_day(report.now, report.zone)


def _date_line(report: QuarterlyReport) -> str:
    place = report.organisation.place or FILL
    return f"{place}, ngày {FILL} tháng {FILL} năm {FILL}"


def _committee_name(report: QuarterlyReport) -> str:
    """``Đảng bộ phường Việt Hưng`` is led by ``ĐẢNG ỦY PHƯỜNG VIỆT HƯNG``."""
    name = report.organisation.name
    if name.lower().startswith("đảng bộ"):
        name = "Đảng ủy" + name[len("Đảng bộ") :]
    return name.upper()


def _party_header(document, report: QuarterlyReport, by_plan: bool) -> None:
    left, right = _two_columns(document, (8.2, 8.3))
    if by_plan:  # the standing committee: under the Party organisation above it
        centred_line(left, FILL, size=14)
        centred_line(left, _committee_name(report), bold=True, size=14)
        centred_line(left, "*", size=14)
        centred_line(left, f"Số {FILL}-{report_symbol(report)}", size=14)
    else:
        centred_line(left, report.organisation.name.upper(), size=14)
        if report.issuing_unit is not None:
            centred_line(left, report.issuing_unit.display_name.upper(), bold=True, size=14)
        centred_line(left, "*", size=14)
        centred_line(left, f"Số {FILL}-BC/{FILL}", size=14)
    centred_line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    centred_line(right, "", size=14)
    centred_line(right, _date_line(report), italic=True, size=14)


def _state_header(document, report: QuarterlyReport) -> None:
    """The state's layout (Nghị định 30): the issuing body with a short line under it, the
    national title on one line and the motto with its line."""
    left, right = _two_columns(document, (5.8, 10.7))
    centred_line(left, report.organisation.name.upper(), bold=True, size=13)
    _rule(left, 2.0, 5.8)
    centred_line(left, f"Số: {FILL}/{report_symbol(report)}", size=13)
    centred_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    centred_line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _rule(right, 5.5, 10.7)
    centred_line(right, _date_line(report), italic=True, size=14)


def _title(document, report: QuarterlyReport, by_plan: bool) -> None:
    centred_line(document, "")
    centred_line(document, "BÁO CÁO", bold=True, size=15, after=0)
    centred_line(document, summary_line(report), bold=True, size=14)
    centred_line(document, f"Quý {report.quarter.roman}", bold=True, size=14)
    if report.organisation.kind == "party":
        centred_line(document, "-----", size=14, after=6)
    else:
        _rule(document, 4.0, TEXT_WIDTH_CM)
    body(
        document,
        f"Thực hiện {plan_citation(report)} của {report.plan.issuing_body}, "
        f"{_issuer(report, by_plan)} báo cáo kết quả thực hiện Quý {report.quarter.roman} "
        f"như sau (số liệu tính đến ngày {cut_off(report)}):",
    )


# I. Results


def counts_phrase(counts: Counts) -> str:
    """``3 đã hoàn thành đúng hạn; 1 chưa hoàn thành, quá hạn``: the statuses that occur."""
    return "; ".join(
        f"{counts[status]} {VI_STATUS_LABELS[status].lower()}"
        for status in STATUS_ORDER
        if counts[status]
    )


def _results(document, report: QuarterlyReport) -> None:
    counts = report.counts
    quarter = f"Quý {report.quarter.roman}"
    heading(document, "I. KẾT QUẢ THỰC HIỆN")
    heading(document, "1. Tình hình chung")
    summary = (
        f"{quarter}, Kế hoạch giao {counts.total} nhiệm vụ cho {report.units} đơn vị. "
        f"Đến ngày {cut_off(report)}: "
        f"{counts[DeadlineStatus.COMPLETED_ON_TIME]} nhiệm vụ đã hoàn thành đúng hạn; "
        f"{counts[DeadlineStatus.COMPLETED_LATE]} nhiệm vụ đã hoàn thành quá hạn; "
        f"{counts[DeadlineStatus.AWAITING_REVIEW]} nhiệm vụ đã báo cáo, đang chờ duyệt; "
        f"{counts[DeadlineStatus.OPEN_OVERDUE]} nhiệm vụ chưa hoàn thành, quá hạn; "
        f"{counts[DeadlineStatus.OPEN_WITHIN_DEADLINE]} nhiệm vụ chưa hoàn thành, còn trong hạn."
    )
    if counts.returned:
        summary += f" Có {counts.returned} nhiệm vụ bị trả lại yêu cầu bổ sung."
    if report.overdue_before:
        summary += (
            f" Ngoài ra, còn {len(report.overdue_before)} nhiệm vụ của các quý trước chưa hoàn "
            "thành, quá hạn (nêu tại mục II)."
        )
    body(document, summary)
    if not report.lines:
        return
    heading(document, "2. Kết quả theo từng nội dung của Kế hoạch")
    headers = ("Nội dung của Kế hoạch", "Số nhiệm vụ", *(VI_STATUS_LABELS[s] for s in STATUS_ORDER))
    table = grid(document, headers, size=12)
    for section in report.sections():
        name = f"Mục {section.ref}. {sentence_case(section.title)}".rstrip(". ")
        table_row(table, (name, *_figures(section.counts)), size=12)
    table_row(table, ("Tổng cộng", *_figures(counts)), size=12, bold=True)
    column_widths(table, SECTION_WIDTHS)
    centred_line(document, "", after=4)
    heading(document, "3. Kết quả theo từng đơn vị")
    for unit in report.unit_summaries(excerpts=1):
        head = f" (người đứng đầu: đồng chí {', '.join(unit.heads)})" if unit.heads else ""
        body(
            document,
            (f"- {unit.unit_name}{head}: ", {"bold": True}),
            f"{unit.counts.total} nhiệm vụ; {counts_phrase(unit.counts)}.",
        )
        for ref, text in unit.excerpts:
            body(document, (f"Báo cáo của đơn vị ({ref}): “{text}”", {"italic": True, "size": 13}))
    heading(document, "4. Đánh giá chung")
    body(document, FILL)


def sentence_case(title: str) -> str:
    """A heading the plan writes in capitals, as a sentence: ``TỔ CHỨC THỰC HIỆN`` reads
    ``Tổ chức thực hiện`` inside a table."""
    if title != title.upper():
        return title
    return title[:1] + title[1:].lower()


def _figures(counts: Counts) -> tuple[str, ...]:
    return (str(counts.total), *(str(counts[status]) for status in STATUS_ORDER))


# II. Shortcomings


def _roman(period: str) -> str:
    return Quarter.parse(period).roman


def shortcoming_lines(line: TaskLine, zone: ZoneInfo) -> list[str]:
    """What is wrong with one task, each with its reason: the days late, why it came back."""
    due = local_day(line.due_at, zone)
    said = []
    if line.overdue:
        said.append(
            f"+ Chưa hoàn thành, quá hạn {line.days_late} ngày: {line.ref}. {line.title} "
            f"(Quý {_roman(line.period)}, hạn {due})."
        )
    elif line.on_time is False:
        kind = (
            "Hoàn thành quá hạn" if line.status is DeadlineStatus.COMPLETED_LATE else "Báo cáo chậm"
        )
        said.append(
            f"+ {kind} {line.days_late} ngày: {line.ref}. {line.title} "
            f"(hạn {due}, báo cáo ngày {local_day(line.first_reported_at, zone)})."
        )
    if line.returned:
        reason = f"; lý do lần gần nhất: “{line.return_reason}”" if line.return_reason else ""
        said.append(
            f"+ Bị trả lại yêu cầu bổ sung {line.times_returned} lần: "
            f"{line.ref}. {line.title}{reason}."
        )
    return said


def _shortcomings(document, report: QuarterlyReport) -> None:
    heading(document, "II. HẠN CHẾ, TỒN TẠI")
    units = report.shortcomings()
    if not units:
        body(document, "Các đơn vị báo cáo đầy đủ, đúng hạn; không có báo cáo bị trả lại.")
    for unit in units:
        heads = f" (người đứng đầu: đồng chí {', '.join(unit.heads)})" if unit.heads else ""
        body(document, (f"- {unit.unit_name}{heads}:", {"bold": True}))
        for line in unit.lines:
            for text in shortcoming_lines(line, report.zone):
                body(document, text)
    body(document, "Nguyên nhân: ", FILL)


# III. Targets


# What the report calls each standing of a target (``workflow.targets.status``).
VI_TARGET_STATUS = {
    TargetStatus.ON_TRACK: "Đạt tiến độ",
    TargetStatus.AT_RISK: "Có nguy cơ không đạt",
    TargetStatus.MISSED: "Không đạt",
    TargetStatus.NOT_YET: "Chưa có số liệu",
}


def target_results(target: TargetResult) -> tuple[str, str]:
    """The figures the units reported (or a plain "none"), and the verdict: the ward's figure
    against what the quarter expected, and how many units reached the goal."""
    unit = target.unit_of_measure
    expected = f"mốc quý: {amount_text(target.expected, unit)}"
    if not target.figures:
        return "Chưa có đơn vị báo cáo số liệu", f"{VI_TARGET_STATUS[target.status]} ({expected})"
    figures = "\n".join(
        f"{f.unit_name}: {amount_text(f.value, unit)}" + ("" if f.approved else " (chưa duyệt)")
        for f in target.figures
    )
    verdict = (
        f"{VI_TARGET_STATUS[target.status]}: {amount_text(target.value, unit)} ({expected});"
        f" {target.reached}/{len(target.figures)} đơn vị đạt"
    )
    return figures, verdict


def _targets(document, report: QuarterlyReport) -> None:
    heading(document, "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    if not report.targets:
        body(document, "Kế hoạch không có chỉ tiêu định lượng.")
        return
    reported = sum(1 for target in report.targets if target.figures)
    quarter = f"Quý {report.quarter.roman}"
    if reported:
        body(document, f"{quarter}, {reported}/{len(report.targets)} chỉ tiêu có số liệu báo cáo.")
    else:
        body(document, f"{quarter}, chưa có đơn vị nào báo cáo số liệu các chỉ tiêu của Kế hoạch.")
    headers = ("TT", "Chỉ tiêu", "Mục tiêu", "Số liệu đơn vị báo cáo", "Đánh giá")
    table = grid(document, headers)
    for index, target in enumerate(report.targets, start=1):
        figures, verdict = target_results(target)
        goal = goal_text(target.comparator, target.figure, target.unit_of_measure)
        table_row(table, (str(index), f"{target.ref}. {target.title}", goal, figures, verdict))
    column_widths(table, TARGET_WIDTHS)
    centred_line(document, "", after=4)


# IV. The next quarter


def _next_quarter(document, report: QuarterlyReport) -> None:
    heading(document, f"IV. NHIỆM VỤ TRỌNG TÂM QUÝ {report.next_quarter.roman}")
    heading(document, "1. Theo định hướng của Kế hoạch")
    if not report.next_phases:
        body(document, f"Kế hoạch không có định hướng riêng cho Quý {report.next_quarter.roman}.")
    for phase in report.next_phases:
        body(document, f"- {phase.title} (mục {phase.ref} của Kế hoạch).")
        for label, text in (
            ("Mục tiêu truyền thông", phase.goal),
            ("Nội dung trọng tâm", phase.content),
            ("Hình thức triển khai", phase.forms),
        ):
            if text:
                body(document, (f"{label}: ", {"italic": True}), text)
    heading(document, "2. Hoàn thành các nhiệm vụ còn quá hạn")
    overdue = [line for line in [*report.overdue_before, *report.lines] if line.overdue]
    if overdue:
        units = len({line.unit_code for line in overdue})
        body(
            document,
            f"{units} đơn vị khẩn trương hoàn thành {len(overdue)} nhiệm vụ chưa hoàn thành, "
            "quá hạn (nêu tại mục II và Phụ lục kèm theo).",
        )
    else:
        body(document, "Không có nhiệm vụ quá hạn.")
    heading(document, "3. Nhiệm vụ khác")
    body(document, FILL)


# The signature


def recipients(report: QuarterlyReport, by_plan: bool) -> list[str]:
    """ "Nơi nhận": whom the report goes up to, for information, and the archive. The board
    reports to the Party committee's standing members; the standing committee and a People's
    Committee to the bodies above them named in the plan's own list."""
    listed = report.plan.definition.get("plan", {}).get("recipients", [])
    state = report.organisation.kind != "party"
    if state or by_plan:
        above = ("Thành ủy", "Thành phố", "Tỉnh ủy", "Huyện ủy", "Quận ủy", "Thường trực")
        upward = [name for name in listed if any(word in name for word in above)]
    else:
        upward = [name for name in listed if name.startswith("Thường trực Đảng ủy")]
    if state:
        lines = [f"- {name} (để b/c);" for name in upward] or [f"- {FILL};"]
        return [*lines, f"- Lưu: VT, {FILL}."]
    lines = [f"- {name} (b/c)," for name in upward] or [f"- {FILL},"]
    return [*lines, "- Lưu VT."]


def signature_lines(report: QuarterlyReport, by_plan: bool) -> tuple[list[str], str]:
    """The lines above the signature and the name under it."""
    signer = report.plan.definition.get("plan", {}).get("signer") or {}
    if by_plan and signer:
        above = [line for line in (signer.get("on_behalf"), signer.get("title")) if line]
        return above, signer.get("name") or FILL
    if by_plan and report.organisation.kind == "party":  # the plan file names no signer
        return ["T/M BAN THƯỜNG VỤ", FILL], FILL
    if report.organisation.kind == "government":
        return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], FILL
    if report.organisation.kind != "party":
        return [f"TM. {report.organisation.name.upper()}", "CHỦ TỊCH"], FILL
    unit = report.issuing_unit
    title = unit.head_title.upper() if unit is not None and unit.head_title else FILL
    heads = report.issuing_heads
    return [title], heads[0] if len(heads) == 1 else FILL


def _signature(document, report: QuarterlyReport, by_plan: bool) -> None:
    centred_line(document, "")
    left, right = _two_columns(document, (7.5, 8.5))
    centred_line(left, "Nơi nhận:", align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
    for text in recipients(report, by_plan):
        centred_line(left, text, align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    above, name = signature_lines(report, by_plan)
    for text in above:
        centred_line(right, text, bold=True, size=14)
    for _unused in range(3):
        centred_line(right, "", size=14)
    centred_line(right, name, bold=True, size=14)


# The appendix


def appendix_note(line: TaskLine, quarter: Quarter, zone: ZoneInfo) -> str:
    notes = []
    if line.occurrence_label:
        notes.append(line.occurrence_label)
    if line.period != str(quarter):
        notes.append(f"nhiệm vụ Quý {_roman(line.period)}")
    if line.extended_from is not None:
        notes.append(f"gia hạn từ {local_day(line.extended_from, zone)}")
    if line.days_late:
        notes.append(f"quá hạn {line.days_late} ngày")
    if line.returned:
        reason = f": {line.return_reason}" if line.return_reason else ""
        notes.append(f"trả lại {line.times_returned} lần{reason}")
    return "; ".join(notes)


def _appendix(document, report: QuarterlyReport, by_plan: bool) -> None:
    """Every task of the quarter and every earlier one still overdue, on landscape pages."""
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE["height"], PAGE["width"]
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    section.different_first_page_header_footer = False
    centred_line(document, "PHỤ LỤC", bold=True, size=14)
    centred_line(
        document,
        f"DANH MỤC NHIỆM VỤ QUÝ {report.quarter.roman} VÀ TÌNH TRẠNG THỰC HIỆN",
        bold=True,
        size=14,
    )
    centred_line(
        document,
        f"(Kèm theo Báo cáo số {FILL} ngày {FILL} của {_issuer(report, by_plan)})",
        italic=True,
        size=13,
        after=6,
    )
    headers = (
        "TT",
        "Số hiệu",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Hạn",
        "Ngày báo cáo",
        "Tình trạng",
        "Ghi chú",
    )
    table = grid(document, headers, size=11)
    zone = report.zone
    for index, line in enumerate([*report.lines, *report.overdue_before], start=1):
        reported = local_day(line.first_reported_at, zone) if line.first_reported_at else ""
        values = (
            str(index),
            line.ref,
            line.title,
            line.unit_name,
            local_day(line.due_at, zone),
            reported,
            line.status_label,
            appendix_note(line, report.quarter, zone),
        )
        table_row(table, values, size=11)
    column_widths(table, APPENDIX_WIDTHS)
