"""The quarter's tasks as spreadsheets (.xlsx and .csv), opened with the libraries that read
them and checked against the database."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from tests.conftest import HISTORY_NOW, Q1, Q2
from workflow.accountability.queries import accountability_by_unit
from workflow.clock import DEFAULT_ZONE, Clock
from workflow.reporting.quarterly import quarterly_report
from workflow.reporting.spreadsheet import tasks_csv, tasks_workbook


def test_the_workbook(session, ward, history):
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))
    summary = accountability_by_unit(session, ward, Q2, HISTORY_NOW)
    workbook = load_workbook(
        io.BytesIO(tasks_workbook([(Q2, report.lines)], summary, DEFAULT_ZONE))
    )
    assert workbook.sheetnames == ["Quý II-2026", "Tổng hợp theo đơn vị"]
    tasks = workbook["Quý II-2026"]
    rows = list(tasks.iter_rows(values_only=True))
    assert rows[0][:6] == ("Mã", "Nhiệm vụ", "Đợt", "Đơn vị", "Người đứng đầu", "Trạng thái")
    assert sorted((row[0], row[3]) for row in rows[1:]) == sorted(
        (line.ref, line.unit_name) for line in report.lines
    )
    assert tasks.freeze_panes == "A2"
    assert tasks.auto_filter.ref == f"A1:M{len(rows)}"
    first = next(row for row in tasks.iter_rows(min_row=2) if row[0].value == "VI.2.1")
    assert first[6].value == datetime(2026, 6, 15, 17, 0)
    assert first[6].is_date and "dd/mm/yyyy" in first[6].number_format
    assert (first[5].value, first[8].value, first[12].value) == ("Đã báo cáo", "Không", 1)
    assert tasks.column_dimensions["B"].width >= len("Cung cấp thông tin chính thống")
    units = {row[0]: row for row in workbook["Tổng hợp theo đơn vị"].iter_rows(values_only=True)}
    header = workbook["Tổng hợp theo đơn vị"]["1"]
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
    assert by_unit["UBND Phường"][6] == "15/03/2026 17:00"
