"""One quarter's report or task list as a file, the same from the command line and the web."""

from __future__ import annotations

from sqlmodel import Session

from workflow.accountability.queries import accountability_by_unit
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.organisations.models import Organisation
from workflow.periods import Quarter
from workflow.reporting.docx import render_quarterly_docx
from workflow.reporting.quarterly import quarterly_report
from workflow.reporting.spreadsheet import tasks_csv, tasks_workbook

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def file_name(organisation: Organisation, quarter: Quarter, file_format: str) -> str:
    kind = "bao-cao" if file_format == "docx" else "nhiem-vu"
    return f"{kind}-{organisation.code.lower()}-{quarter}.{file_format}"


def quarterly_file(
    session: Session,
    organisation: Organisation,
    quarter: Quarter,
    file_format: str,
    clock: Clock,
    *,
    viewer: User | None = None,
    plan_code: str | None = None,
    separator: str = ",",
    signer: str = "issuer",
) -> bytes:
    """The report (``docx``, signed as ``signer`` says) or the quarter's tasks (``xlsx``,
    ``csv`` split by ``separator``) as bytes; ``viewer`` must be a leader, reviewer or admin
    (the command line passes none)."""
    clock = clock.stopped_at(clock.now())  # one instant for the whole file
    report = quarterly_report(
        session, organisation, quarter, clock, viewer=viewer, plan_code=plan_code
    )
    if file_format == "docx":
        return render_quarterly_docx(report, signer)
    if file_format == "csv":
        return tasks_csv(report.lines, clock.zone, separator)
    summary = accountability_by_unit(session, organisation, quarter, clock.now(), viewer=viewer)
    return tasks_workbook([(quarter, report.lines)], summary, quarter, clock.now(), clock.zone)


def year_workbook(
    session: Session,
    organisation: Organisation,
    year: int,
    clock: Clock,
    *,
    viewer: User | None = None,
    plan_code: str | None = None,
) -> bytes:
    """The year's tasks in one workbook: a sheet per quarter that has tasks, and the year's
    accountability by unit (a constant number of queries per quarter)."""
    clock = clock.stopped_at(clock.now())  # one instant for the whole file
    sheets = []
    for number in range(1, 5):
        quarter = Quarter(year, number)
        lines = quarterly_report(
            session, organisation, quarter, clock, viewer=viewer, plan_code=plan_code
        ).lines
        if lines:
            sheets.append((quarter, lines))
    summary = accountability_by_unit(session, organisation, year, clock.now(), viewer=viewer)
    return tasks_workbook(sheets, summary, year, clock.now(), clock.zone)
