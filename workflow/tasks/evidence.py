"""Evidence attached to reports: checked, stored under a random name, served only to those who
may see the task.

A file is accepted by its content, not only its name: a PDF must start like a PDF, a .docx must
be a Word package. The original name (Vietnamese included) is kept for display and download;
the stored name is random, so no upload can choose where it lands."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from workflow.accounts.models import User
from workflow.errors import InvalidInput, NotFound, TooLarge
from workflow.i18n import N_
from workflow.tasks.models import Report, ReportFile
from workflow.tasks.queries import visible_task

ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
SIGNATURES = {
    ".pdf": b"%PDF-",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}
PACKAGE_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
MAX_FILES = 10
CHUNK = 1 << 16


@dataclass(frozen=True)
class Upload:
    """A file as received: its name on the user's computer and its bytes."""

    filename: str
    stream: BinaryIO


def display_name(filename: str) -> str:
    """The user's file name without any folder part or control characters, at most 200 long."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "tep"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext) if dot else name[:200]
    return name


@dataclass(frozen=True)
class EvidenceStore:
    """Where evidence files live, and how large one may be."""

    folder: Path
    max_bytes: int

    def keep(self, session: Session, report: Report, uploads: list[Upload]) -> list[Path]:
        """Check and keep each upload of ``report``; returns the paths written."""
        uploads = [u for u in uploads if u.filename]
        if len(uploads) > MAX_FILES:
            raise InvalidInput(N_("At most %(count)s files per report."), count=MAX_FILES)
        self.folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        try:
            for upload in uploads:
                written.append(self._keep_one(session, report, upload))
            session.flush()
        except BaseException:
            remove(written)
            raise
        return written

    def _keep_one(self, session: Session, report: Report, upload: Upload) -> Path:
        name = display_name(upload.filename)
        extension = Path(name).suffix.lower()
        if extension not in ALLOWED:
            raise InvalidInput(
                N_(
                    "%(name)s: only PDF, Word (.docx), Excel (.xlsx), JPG and PNG files "
                    "are accepted."
                ),
                name=name,
            )
        stored = f"{uuid.uuid4().hex}{extension}"
        path = self.folder / stored
        try:
            size, digest = _copy(upload.stream, path, name, self.max_bytes)
            _check_content(path, extension, name)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        session.add(
            ReportFile(
                report_id=report.id,
                filename=name,
                stored_name=stored,
                content_type=ALLOWED[extension],
                size=size,
                sha256=digest,
            )
        )
        return path

    def path_of(self, record: ReportFile) -> Path:
        return self.folder / record.stored_name


def remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def evidence_file(session: Session, user: User, file_id: int) -> ReportFile:
    """A file's record, if ``user`` may see the task it belongs to (else ``NotFound``)."""
    record = session.get(ReportFile, file_id)
    if record is None:
        raise NotFound()
    report = session.get(Report, record.report_id)
    visible_task(session, user, report.task_id)
    return record


def _copy(stream: BinaryIO, path: Path, name: str, max_bytes: int) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "xb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(
                    N_("%(name)s is larger than %(mb)s MB."),
                    name=name,
                    mb=f"{max_bytes / (1 << 20):g}",
                )
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise InvalidInput(N_("%(name)s is empty."), name=name)
    return size, digest.hexdigest()


def _check_content(path: Path, extension: str, name: str) -> None:
    with open(path, "rb") as handle:
        head = handle.read(16)
    fits = head.startswith(SIGNATURES[extension])
    if fits and extension in PACKAGE_PART:
        try:
            with zipfile.ZipFile(path) as package:
                fits = PACKAGE_PART[extension] in package.namelist()
        except zipfile.BadZipFile:
            fits = False
    if not fits:
        raise InvalidInput(
            N_("%(name)s is not really a %(kind)s file."),
            name=name,
            kind=extension.lstrip(".").upper(),
        )
