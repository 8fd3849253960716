"""Tasks and accountability as a workbook (.xlsx) or a CSV file that Excel opens in Vietnamese.

Dates are real dates: local (Asia/Ho_Chi_Minh) wall-clock times without a timezone, which is
what a spreadsheet cell can hold, with a dd/mm/yyyy number format. Each sheet prints as an A4
landscape page one page wide, under a title that says what it lists and the data cut-off.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from workflow.accountability.figures import UnitAccountability
from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.periods import Period, Quarter
from workflow.reporting.quarterly import TaskLine
from workflow.reporting.safe_text import csv_safe, looks_like_formula, xml_safe

DATE_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 60
TITLE_ROW, HEADER_ROW = 1, 2  # the data starts below the header
SUMMARY_SHEET = "Tổng hợp theo đơn vị"
CSV_DATE_FORMAT = "%Y-%m-%d %H:%M"
CSV_SEPARATORS = {"comma": ",", "semicolon": ";"}


def local_naive(value: object, zone: ZoneInfo) -> object:
    """An instant as the local wall-clock time without a timezone (what a cell holds); any
    other value as it is."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Có" if value else "Không")


# (header, value of a task line); the headers are Vietnamese, as the document's are.
TASK_COLUMNS: list[tuple[str, Callable[[TaskLine], object]]] = [
    ("Mã", lambda line: line.ref),
    ("Nhiệm vụ", lambda line: line.title),
    ("Đợt", lambda line: line.occurrence_label),
    ("Đơn vị", lambda line: line.unit_name),
    ("Người đứng đầu", lambda line: line.head_names),
    ("Trạng thái", lambda line: line.state_label),
    ("Hạn", lambda line: line.due_at),
    ("Báo cáo lần đầu", lambda line: line.first_reported_at),
    ("Đúng hạn", lambda line: _yes_no(line.on_time)),
    ("Quá hạn", lambda line: _yes_no(line.overdue)),
    ("Người duyệt", lambda line: line.reviewer or ""),
    ("Ngày quyết định", lambda line: line.decided_at),
    ("Số lần trả lại", lambda line: line.times_returned),
    ("Gia hạn từ", lambda line: line.extended_from),
]
SUMMARY_COLUMNS: list[tuple[str, Callable[[UnitAccountability], object]]] = [
    ("Đơn vị", lambda row: row.unit_name),
    ("Người đứng đầu", lambda row: row.head_names),
    ("Nhiệm vụ được giao", lambda row: row.expected),
    ("Đã hoàn thành đúng hạn", lambda row: row.completed_on_time),
    ("Đã hoàn thành quá hạn", lambda row: row.completed_late),
    ("Đã báo cáo, chờ duyệt", lambda row: row.awaiting_review),
    ("Chưa hoàn thành, quá hạn", lambda row: row.overdue),
    ("Nhiệm vụ bị trả lại", lambda row: row.returned),
    ("Gia hạn", lambda row: row.extended),
    ("Đã đến hạn", lambda row: row.due),
    ("Chưa đến hạn", lambda row: row.not_yet_due),
    ("Đã báo cáo", lambda row: row.reported),
    ("Báo cáo đúng hạn", lambda row: row.on_time),
    ("Tỷ lệ báo cáo (trên số đã đến hạn)", lambda row: row.reporting_rate),
    ("Tỷ lệ đúng hạn (trên số đã đến hạn)", lambda row: row.on_time_rate),
]


def sheet_name(quarter: Quarter) -> str:
    """``Quý III-2026``: a sheet name may not hold "/"."""
    return f"Quý {quarter.roman.replace('/', '-')}"


def _period_title(period: Period) -> str:
    """``Quý III/2026`` or ``năm 2026``, as the title of a printed sheet names it."""
    return f"Quý {period.roman}" if isinstance(period, Quarter) else f"năm {period}"


def _cut_off(now: datetime, zone: ZoneInfo) -> str:
    """The data cut-off as a title says it: the organisation's day of ``now``, no clock time."""
    return f"số liệu đến ngày {now.astimezone(zone):%d/%m/%Y}"


def tasks_workbook(
    quarters: Sequence[tuple[Quarter, Sequence[TaskLine]]],
    summary: Sequence[UnitAccountability],
    period: Period,
    now: datetime,
    zone: ZoneInfo,
) -> bytes:
    """One sheet of tasks per quarter, then the accountability of each unit over ``period``,
    as .xlsx bytes; the data stand as at ``now``, times are written on ``zone``'s wall clock."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    cut_off = _cut_off(now, zone)
    for quarter, lines in quarters:
        title = f"Danh sách nhiệm vụ {_period_title(quarter)} — {cut_off}"
        titled_sheet(workbook, sheet_name(quarter), title, TASK_COLUMNS, lines, zone)
    title = f"{SUMMARY_SHEET} {_period_title(period)} — {cut_off}"
    titled_sheet(workbook, SUMMARY_SHEET, title, SUMMARY_COLUMNS, summary, zone)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def titled_sheet(workbook: Workbook, name: str, title: str, columns, rows, zone: ZoneInfo) -> None:
    """A sheet ``name`` under ``title``: a header row of ``columns`` (header, value of a row),
    then one line per row; instants on ``zone``'s clock, text never run as a formula, each
    column as wide as it needs, ready to print on A4."""
    sheet = workbook.create_sheet(name)
    sheet.append([title])
    sheet.append([header for header, _value in columns])
    for row in rows:
        sheet.append([_cell_value(value(row), zone) for _header, value in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"  # openpyxl would store "=..." as a formula: keep it text
    last_column = get_column_letter(len(columns))
    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=13)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    _formats_and_widths(sheet, columns)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{sheet.max_row}"
    _print_setup(sheet)


def _cell_value(value: object, zone: ZoneInfo) -> object:
    value = local_naive(value, zone)
    return xml_safe(value) if isinstance(value, str) else value


def _formats_and_widths(sheet: Worksheet, columns) -> None:
    """Date and percent formats, and each column as wide as its header or widest value."""
    for index, (header, _value) in enumerate(columns, start=1):
        width = len(header)
        for (cell,) in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=index, max_col=index):
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
                width = max(width, 16)
            elif isinstance(cell.value, float):
                cell.number_format = PERCENT_FORMAT
            elif cell.value is not None:
                width = max(width, len(str(cell.value)))
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH) + 2


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide and as many tall as it takes, the header on every page:
    a wide table printed as is would spill its last columns onto pages of their own."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # no limit
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def csv_separator(name: str) -> str:
    """The character a separator's name (``comma``, ``semicolon``) stands for; Excel in a
    locale whose decimal separator is the comma (Vietnamese) splits columns on ``;``."""
    try:
        return CSV_SEPARATORS[name]
    except KeyError:
        raise InvalidInput(
            N_("Not a separator: %(value)s. Write comma or semicolon."), value=name
        ) from None


def tasks_csv(lines: Sequence[TaskLine], zone: ZoneInfo, separator: str = ",") -> bytes:
    """The tasks as CSV, UTF-8 with a byte-order mark so that Excel reads Vietnamese right.

    Times are written ``2026-03-15 17:00`` on ``zone``'s wall clock: year first is the one
    order Excel reads as the same date in every locale (``05/03/2026`` is 3 May where months
    come first, and ``15/03/2026`` stays text there), and a ``T`` or an offset (``+07:00``)
    would keep the cell as text everywhere. ``separator`` is ``,`` or ``;``.
    """
    output = StringIO()
    writer = csv.writer(output, delimiter=separator)
    writer.writerow([header for header, _value in TASK_COLUMNS])
    for line in lines:
        writer.writerow(
            [_csv_value(local_naive(value(line), zone)) for _header, value in TASK_COLUMNS]
        )
    return output.getvalue().encode("utf-8-sig")


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, str):
        return csv_safe(value)
    return "" if value is None else value
