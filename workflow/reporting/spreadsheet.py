"""Tasks and accountability as a workbook (.xlsx) or a CSV file that Excel opens in Vietnamese.

Dates are real dates: local (Asia/Ho_Chi_Minh) wall-clock times without a timezone, which is
what a spreadsheet cell can hold, with a dd/mm/yyyy number format.
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

from workflow.accountability.figures import UnitAccountability
from workflow.periods import Quarter
from workflow.reporting.quarterly import TaskLine

DATE_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 60


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


def tasks_workbook(
    quarters: Sequence[tuple[Quarter, Sequence[TaskLine]]],
    summary: Sequence[UnitAccountability],
    zone: ZoneInfo,
) -> bytes:
    """One sheet of tasks per quarter, then the accountability of each unit, as .xlsx bytes;
    times are written on ``zone``'s wall clock."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for quarter, lines in quarters:
        _sheet(workbook, sheet_name(quarter), TASK_COLUMNS, lines, zone)
    _sheet(workbook, "Tổng hợp theo đơn vị", SUMMARY_COLUMNS, summary, zone)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet(workbook: Workbook, title: str, columns, rows, zone: ZoneInfo) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([header for header, _value in columns])
    for row in rows:
        sheet.append([local_naive(value(row), zone) for _header, value in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, (header, _value) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        width = len(header)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT
                width = max(width, 16)
            elif isinstance(cell.value, float):
                cell.number_format = PERCENT_FORMAT
            elif cell.value is not None:
                width = max(width, len(str(cell.value)))
        sheet.column_dimensions[letter].width = min(width, MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def tasks_csv(lines: Sequence[TaskLine], zone: ZoneInfo) -> bytes:
    """The tasks as CSV, UTF-8 with a byte-order mark so that Excel reads Vietnamese right."""
    output = StringIO()
    writer = csv.writer(output)
    writer.writerow([header for header, _value in TASK_COLUMNS])
    for line in lines:
        writer.writerow(
            [_csv_value(local_naive(value(line), zone)) for _header, value in TASK_COLUMNS]
        )
    return output.getvalue().encode("utf-8-sig")


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return "" if value is None else value
