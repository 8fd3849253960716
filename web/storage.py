"""Where this app keeps evidence files: ``GIAOVIEC_UPLOAD_DIR``, by default the instance folder."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from werkzeug.datastructures import FileStorage

from workflow.tasks.evidence import EvidenceStore, Upload

MEGABYTE = 1 << 20


def init_app(app: Flask) -> None:
    if not app.config["UPLOAD_DIR"]:
        app.config["UPLOAD_DIR"] = str(Path(app.instance_path) / "uploads")
    # Each file is checked against its own limit by the store; a request (a report with its
    # files) against the whole, so no one can send hundreds of megabytes in one go.
    app.config["MAX_CONTENT_LENGTH"] = int(float(app.config["MAX_REQUEST_MB"]) * MEGABYTE)


def evidence_store() -> EvidenceStore:
    megabytes = float(current_app.config["MAX_UPLOAD_MB"])
    return EvidenceStore(Path(current_app.config["UPLOAD_DIR"]), int(megabytes * MEGABYTE))


def uploads(files: list[FileStorage]) -> list[Upload]:
    """The request's files as the engine takes them."""
    return [Upload(f.filename or "", f.stream) for f in files if f and f.filename]
