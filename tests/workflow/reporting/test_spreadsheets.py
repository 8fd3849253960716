"""The quarter's tasks as spreadsheets (.xlsx and .csv), opened with the libraries that read
them and checked against the database."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import HISTORY_NOW, Q1, Q2
from workflow.accountability.queries import accountability_by_unit
from workflow.clock import DEFAULT_ZONE, Clock
from workflow.reporting.docx import appendix_note
from workflow.reporting.quarterly import quarterly_report
from workflow.reporting.spreadsheet import tasks_csv, tasks_workbook
from workflow.tasks.extensions import ask_extension, grant_extension


def quarter_workbook(session, ward, now: datetime, period=Q2) -> Workbook:
    """Q2's tasks and the accountability over ``period`` as at ``now``, read back."""
    report = quarterly_report(session, ward, Q2, Clock.at(now))
    summary = accountability_by_unit(session, ward, period, now)
    content = tasks_workbook([(Q2, report.lines)], summary, period, now, DEFAULT_ZONE)
    return load_workbook(io.BytesIO(content))


def test_the_workbook(session, ward, history):
    workbook = quarter_workbook(session, ward, HISTORY_NOW)
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    assert workbook.sheetnames == ["Quý II-2026", "Tổng hợp theo đơn vị"]
    tasks = workbook["Quý II-2026"]
    rows = list(tasks.iter_rows(values_only=True))  # a title, the header, the tasks
    assert rows[1][:6] == ("Mã", "Nhiệm vụ", "Đợt", "Đơn vị", "Người đứng đầu", "Trạng thái")
    assert sorted((row[0], row[3]) for row in rows[2:]) == sorted(
        (line.ref, line.unit_name) for line in report.lines
    )
    first = next(row for row in tasks.iter_rows(min_row=3) if row[0].value == "VI.2.1")
    assert first[6].value == datetime(2026, 6, 15, 17, 0)
    assert first[6].is_date and "dd/mm/yyyy" in first[6].number_format
    assert (first[5].value, first[8].value, first[12].value) == ("Đã báo cáo", "Không", 1)
    assert tasks.column_dimensions["B"].width >= len("Cung cấp thông tin chính thống")
    units = {row[0]: row for row in workbook["Tổng hợp theo đơn vị"].iter_rows(values_only=True)}
    header = workbook["Tổng hợp theo đơn vị"]["2"]
    column = {cell.value: index for index, cell in enumerate(header)}
    ubnd = units["UBND Phường"]
    owed, due, reported = (
        ubnd[column[name]] for name in ("Nhiệm vụ được giao", "Đã đến hạn", "Đã báo cáo")
    )
    assert (owed, due, reported) == (2, 2, 1)  # 20 June: both were due on the 15th
    assert ubnd[column["Tỷ lệ báo cáo (trên số đã đến hạn)"]] == 0.5


def test_the_csv_has_a_bom_and_round_trips(session, ward, history):
    report = quarterly_report(session, ward, Q1, Clock.at(HISTORY_NOW))
    content = tasks_csv(report.lines, DEFAULT_ZONE)
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã" and len(rows) == len(report.lines) + 1
    by_unit = {row[3]: row for row in rows[1:]}
    assert by_unit["Chi bộ Khu dân cư số 1"][1] == "Quán triệt Nghị quyết"
    assert by_unit["Chi bộ Khu dân cư số 1"][12] == "2"
    assert by_unit["Chi bộ Khu dân cư số 2"][5] == "Đã giao"
    assert by_unit["UBND Phường"][6] == "2026-03-15 17:00"


@pytest.mark.parametrize(
    ("now", "period", "summary_title"),
    [
        (HISTORY_NOW, Q2, "Tổng hợp theo đơn vị Quý II/2026 — số liệu đến ngày 20/06/2026"),
        # 20:00 UTC is already the 21st in Hanoi: the cut-off is the organisation's day.
        (
            datetime(2026, 6, 20, 20, 0, tzinfo=UTC),
            2026,
            "Tổng hợp theo đơn vị năm 2026 — số liệu đến ngày 21/06/2026",
        ),
    ],
)
def test_each_sheet_is_titled_with_what_it_lists_and_the_data_cut_off(
    session, ward, history, now, period, summary_title
):
    """Does a printed sheet say what it lists and as of which local day, in bold across the
    table, with no clock time?"""
    workbook = quarter_workbook(session, ward, now, period)
    tasks, summary = workbook["Quý II-2026"], workbook["Tổng hợp theo đơn vị"]
    day = summary_title[-10:]
    assert tasks["A1"].value == f"Danh sách nhiệm vụ Quý II/2026 — số liệu đến ngày {day}"
    assert summary["A1"].value == summary_title
    assert [str(r) for r in tasks.merged_cells.ranges] == ["A1:N1"]
    assert [str(r) for r in summary.merged_cells.ranges] == ["A1:O1"]
    assert tasks["A1"].font.bold and summary["A1"].font.bold


def test_the_header_below_the_title_stays_in_view_and_filters(session, ward, history):
    """Scrolling keeps the header (row 2) in view, and the filter buttons sit on it."""
    workbook = quarter_workbook(session, ward, HISTORY_NOW)
    for sheet, last_column in (("Quý II-2026", "N"), ("Tổng hợp theo đơn vị", "O")):
        sheet = workbook[sheet]
        assert sheet["A2"].value in ("Mã", "Đơn vị") and sheet["A2"].font.bold
        assert sheet.freeze_panes == "A3"
        assert sheet.auto_filter.ref == f"A2:{last_column}{sheet.max_row}"


def test_each_sheet_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(
    session, ward, history
):
    workbook = quarter_workbook(session, ward, HISTORY_NOW)
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # 0: as many pages tall as needed
        assert sheet.print_title_rows == "$2:$2"


def test_the_csv_writes_times_year_first_on_the_local_clock(session, ward, history):
    """No locale reads ``2026-06-15 17:00`` as another day, and it is Hanoi's wall clock."""
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    rows = list(
        csv.DictReader(io.StringIO(tasks_csv(report.lines, DEFAULT_ZONE).decode("utf-8-sig")))
    )
    reported = next(row for row in rows if row["Trạng thái"] == "Đã báo cáo")
    assert reported["Hạn"] == "2026-06-15 17:00"
    line = next(line for line in report.lines if line.state_label == "Đã báo cáo")
    expected = line.first_reported_at.astimezone(DEFAULT_ZONE).strftime("%Y-%m-%d %H:%M")
    assert reported["Báo cáo lần đầu"] == expected


def test_a_csv_split_by_semicolons_round_trips_vietnamese(session, ward, history):
    """Excel set to Vietnamese splits on ``;``: the same rows, Vietnamese intact, BOM kept."""
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    commas = tasks_csv(report.lines, DEFAULT_ZONE)
    semicolons = tasks_csv(report.lines, DEFAULT_ZONE, ";")
    assert semicolons.startswith(codecs.BOM_UTF8)
    text = semicolons.decode("utf-8-sig")
    assert text.startswith("Mã;Nhiệm vụ;Đợt;Đơn vị;Người đứng đầu;Trạng thái;Hạn;")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == list(
        csv.reader(io.StringIO(commas.decode("utf-8-sig")))
    )
    assert "Cung cấp thông tin chính thống" in text


def test_an_extended_task_says_from_when_in_the_workbook_and_the_report(session, ward, history):
    """VI.2.7 (due 20 May) was extended to 27 May on the 12th: its row says "Gia hạn từ" the
    old due time, the summary counts it as extended, and the report's appendix notes it."""
    task = history.tasks[("VI.2.7", "UBND", "Q2")]
    head, reviewer = history.heads["UBND"], history.reviewer
    session.refresh(task)
    ask_extension(
        session,
        head,
        task.id,
        task.version,
        date(2026, 5, 27),
        "Chờ số liệu",
        clock=Clock.at("2026-05-12T09:00"),
    )
    session.refresh(task)
    grant_extension(session, reviewer, task.id, task.version, clock=Clock.at("2026-05-13T09:00"))
    session.commit()
    workbook = quarter_workbook(session, ward, HISTORY_NOW)
    tasks = workbook["Quý II-2026"]
    header = [cell.value for cell in tasks[2]]
    row = next(r for r in tasks.iter_rows(min_row=3, values_only=True) if r[0] == "VI.2.7")
    assert row[header.index("Gia hạn từ")] == datetime(2026, 5, 20, 17, 0)
    others = [r for r in tasks.iter_rows(min_row=3, values_only=True) if r[0] != "VI.2.7"]
    assert {r[header.index("Gia hạn từ")] for r in others} == {None}
    summary = workbook["Tổng hợp theo đơn vị"]
    column = [cell.value for cell in summary[2]].index("Gia hạn")
    units = {r[0]: r for r in summary.iter_rows(min_row=3, values_only=True)}
    assert units["UBND Phường"][column] == 1
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    line = next(line for line in report.lines if line.ref == "VI.2.7")
    assert "gia hạn từ 20/05/2026" in appendix_note(line, Q2, DEFAULT_ZONE)
