"""``giaoviec backup`` and ``giaoviec restore``: the database and the evidence files in one
archive, and back (``workflow.db.backup``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext

from web.cli.common import reports_errors
from web.database import engine
from workflow.db.backup import Summary, backup, restore


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _said(summary: Summary) -> str:
    return gettext(
        "%(rows)s rows in %(tables)s tables, %(files)s files (schema %(revision)s, %(at)s).",
        rows=sum(summary.rows.values()),
        tables=len(summary.rows),
        files=summary.files,
        revision=summary.revision,
        at=summary.created_at,
    )


@click.command("backup")
@click.argument("archive", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
@reports_errors
def backup_command(archive: Path | None) -> None:
    """Save the database and the evidence files to ARCHIVE (.tar.gz)."""
    archive = archive or Path(f"giaoviec-{datetime.now():%Y%m%d-%H%M}.tar.gz")
    summary = backup(engine(), _upload_dir(), archive)
    click.echo(gettext("Saved %(file)s: ", file=archive) + _said(summary))


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace what the database holds (by default only an empty database is restored).",
)
@with_appcontext
@reports_errors
def restore_command(archive: Path, replace: bool) -> None:
    """Put the database and the evidence files saved in ARCHIVE back."""
    summary = restore(engine(), _upload_dir(), archive, replace=replace)
    click.echo(gettext("Restored %(file)s: ", file=archive.name) + _said(summary))
