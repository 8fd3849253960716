"""Evidence attached to reports: checked, stored under a random name, served only to those who
may see the task.

A file is accepted by its content, not only its name: a PDF must start like a PDF, a .docx must
be a Word package. The original name (Vietnamese included) is kept for display and download;
the stored name is random, so no upload can choose where it lands."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import secrets
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.errors import InvalidInput, NotFound, StorageFailed, TooLarge, WorkflowError
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
        written: list[Path] = []
        upload = uploads[0] if uploads else None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for upload in uploads:
                written.append(self._keep_one(session, report, upload))
            session.flush()
        except OSError:  # the disk, not the file: said as such, the report not saved
            remove(written)
            raise StorageFailed(name=display_name(upload.filename)) from None
        except BaseException:
            remove(written)
            raise
        return written

    def _write_checked(self, upload: Upload, path: Path) -> tuple[str, str, int, str]:
        """Write ``upload`` at ``path`` if it is evidence this store accepts (kind, size and
        content); returns its name, extension, size and digest. Nothing stays on refusal."""
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
        try:
            size, digest = _copy(upload.stream, path, name, self.max_bytes)
            _check_content(path, extension, name)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return name, extension, size, digest

    def _keep_one(self, session: Session, report: Report, upload: Upload) -> Path:
        extension = Path(display_name(upload.filename)).suffix.lower()
        stored = f"{uuid.uuid4().hex}{extension}"
        path = self.folder / stored
        name, extension, size, digest = self._write_checked(upload, path)
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

    # Files held for a person between a refused report and the next try: chosen once, never
    # lost to a refusal. Each person's own folder; a token names one file.

    def hold(self, owner_id: int, uploads: list[Upload]) -> list[tuple[str, str]]:
        """Keep ``uploads`` aside for ``owner_id``; returns (token, file name) for each."""
        folder = self._held_folder(owner_id)
        held = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for upload in uploads:
                token = secrets.token_hex(16)
                upload.stream.seek(0)
                try:
                    name, *_rest = self._write_checked(upload, folder / token)
                except WorkflowError:
                    continue  # a file refused for itself would be refused again: not held
                (folder / f"{token}.name").write_text(name, encoding="utf-8")
                held.append((token, name))
        except OSError:
            return held  # the disk refuses: what could not be held is chosen again
        if not held:  # leave no empty folders behind
            for empty in (folder, folder.parent):
                with contextlib.suppress(OSError):
                    empty.rmdir()
        return held

    def held_names(self, owner_id: int, tokens: list[str]) -> dict[str, str]:
        """The names of the files ``owner_id`` holds under ``tokens``, by token; another
        person's tokens, or made-up ones, find nothing."""
        folder = self._held_folder(owner_id)
        return {
            token: (folder / f"{token}.name").read_text(encoding="utf-8")
            for token in tokens
            if HELD_TOKEN.fullmatch(token) and (folder / f"{token}.name").is_file()
        }

    def held(self, owner_id: int, tokens: list[str]) -> list[Upload]:
        """The files ``owner_id`` holds under ``tokens``, as uploads."""
        folder = self._held_folder(owner_id)
        return [
            Upload(name, io.BytesIO((folder / token).read_bytes()))
            for token, name in self.held_names(owner_id, tokens).items()
        ]

    def release(self, owner_id: int, tokens: list[str]) -> None:
        """Forget held files once a report carried them (or they were let go)."""
        folder = self._held_folder(owner_id)
        for token in filter(HELD_TOKEN.fullmatch, tokens):
            remove([folder / token, folder / f"{token}.name"])

    def _held_folder(self, owner_id: int) -> Path:
        return self.folder / "held" / str(int(owner_id))


HELD_TOKEN = re.compile(r"[0-9a-f]{32}")


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


def earlier_evidence(
    session: Session, user: User, task_id: int, file_ids: list[int]
) -> list[ReportFile]:
    """Files of the task's earlier reports that a new report keeps (a returned task reported
    again); ``NotFound`` for a file of any other task, so ids reveal nothing."""
    visible_task(session, user, task_id)
    wanted = set(file_ids)
    if not wanted:
        return []
    records = session.exec(
        select(ReportFile)
        .join(Report, Report.id == ReportFile.report_id)
        .where(ReportFile.id.in_(wanted), Report.task_id == task_id)
        .order_by(ReportFile.id)
    ).all()
    if len(records) != len(wanted):
        raise NotFound()
    return list(records)


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
