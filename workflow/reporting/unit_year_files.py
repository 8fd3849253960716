"""A unit's year of accountability as files for the year-end evaluation: a .docx to print and
sign, and a .xlsx to work with. Both hold what the page shows, in the same rows
(``workflow.accountability.year.YEAR_ROWS``), in the reader's language (``gettext``): the whole
year and each head's part, the reports sent back and why, the targets, the grade."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook

from workflow.accountability.grading import Grade
from workflow.accountability.year import RATES, YEAR_ROWS, HeadYear, UnitYear
from workflow.organisations.models import Organisation
from workflow.reporting.docx import (
    TEXT_WIDTH_CM,
    body,
    centred_line,
    column_widths,
    grid,
    heading,
    page_setup,
    table_row,
)
from workflow.reporting.spreadsheet import titled_sheet

Gettext = Callable[[str], str]
FIGURE_COLUMN_CM = 6.0  # the labels' column; the figures share the rest of the page


def _value(figures, key: str) -> str:
    value = getattr(figures, key)
    if key in RATES:
        return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")
    return str(value)


def _head_title(head: HeadYear, gettext: Gettext, zone: ZoneInfo) -> str:
    if head.term is None:
        return gettext("No head")
    start = head.term.started_at.astimezone(zone).strftime("%d/%m/%Y")
    end = head.term.ended_at.astimezone(zone).strftime("%d/%m/%Y") if head.term.ended_at else ""
    return f"{head.term.name} ({start}–{end})"


def _grade_text(year: UnitYear, gettext: Gettext) -> list[str]:
    proposed = (
        gettext(year.proposed.label) if year.proposed else gettext("None: nothing to judge yet")
    )
    lines = [f"{gettext('Grade proposed by the figures')}: {proposed}"]
    if year.confirmed is not None:
        who = year.confirmed_by.full_name or year.confirmed_by.username
        grade = gettext(Grade(year.confirmed.grade).label)
        lines.append(f"{gettext('Grade confirmed')}: {grade} ({who})")
        if year.confirmed.note:
            lines.append(f"{gettext('Reason')}: {year.confirmed.note}")
    return lines


def unit_year_docx(
    year: UnitYear, organisation: Organisation, gettext: Gettext, zone: ZoneInfo, now: datetime
) -> bytes:
    title = gettext("Accountability of %(unit)s in %(year)s") % {
        "unit": year.unit.name,
        "year": year.year,
    }
    document = Document()
    page_setup(document, author=organisation.name, title=title, when=now)
    centred_line(document, organisation.name.upper(), bold=True, size=13)
    centred_line(document, title.upper(), bold=True, size=14, after=12)
    heads = [_head_title(head, gettext, zone) for head in year.heads]
    table = grid(document, (gettext("Figure"), gettext("Whole year"), *heads), size=11)
    others = (TEXT_WIDTH_CM - FIGURE_COLUMN_CM) / (1 + len(heads))
    widths = (FIGURE_COLUMN_CM, *(others,) * (1 + len(heads)))
    for key, label in YEAR_ROWS:
        table_row(
            table,
            (
                gettext(label),
                _value(year.figures, key),
                *(_value(head.figures, key) for head in year.heads),
            ),
            size=11,
        )
    column_widths(table, widths)
    if year.returns:
        heading(document, gettext("Reports returned, and why"))
        for item in year.returns:
            body(
                document,
                f"{item.ref} ({item.period}), {item.at.astimezone(zone):%d/%m/%Y}: {item.reason}",
            )
    if year.target_lines:
        heading(document, gettext("Targets"))
        for line in year.target_lines:
            body(
                document,
                f"{line.ref} {line.title}, {line.quarter.roman}: {gettext(line.status.label)}",
            )
    heading(document, gettext("Evaluation"))
    for text in _grade_text(year, gettext):
        body(document, text)
    paragraph = body(document, f"{gettext('Figures as of')} {now.astimezone(zone):%H:%M %d/%m/%Y}")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def unit_year_xlsx(
    year: UnitYear, organisation: Organisation, gettext: Gettext, zone: ZoneInfo, now: datetime
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = gettext("Accountability of %(unit)s in %(year)s") % {
        "unit": year.unit.name,
        "year": year.year,
    }
    figure_columns = [
        (gettext("Figure"), lambda row: gettext(row[1])),
        (gettext("Whole year"), lambda row: getattr(year.figures, row[0])),
        *(
            (_head_title(head, gettext, zone), lambda row, head=head: getattr(head.figures, row[0]))
            for head in year.heads
        ),
    ]
    titled_sheet(
        workbook,
        gettext("Year")[:31],
        f"{organisation.name}: {title}",
        figure_columns,
        YEAR_ROWS,
        zone,
    )
    titled_sheet(
        workbook,
        gettext("Evaluation")[:31],
        gettext("Evaluation"),
        [(gettext("Evaluation"), lambda text: text)],
        _grade_text(year, gettext),
        zone,
    )
    titled_sheet(
        workbook,
        gettext("Returned")[:31],
        gettext("Reports returned, and why"),
        [
            (gettext("Ref"), lambda item: item.ref),
            (gettext("Responsibility"), lambda item: item.title),
            (gettext("Quarter"), lambda item: item.period),
            (gettext("Returned on"), lambda item: item.at),
            (gettext("Reason"), lambda item: item.reason),
        ],
        year.returns,
        zone,
    )
    titled_sheet(
        workbook,
        gettext("Targets")[:31],
        gettext("Targets"),
        [
            (gettext("Ref"), lambda line: line.ref),
            (gettext("Target"), lambda line: line.title),
            (gettext("Quarter"), lambda line: str(line.quarter)),
            (gettext("Where it stands"), lambda line: gettext(line.status.label)),
        ],
        year.target_lines,
        zone,
    )
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
