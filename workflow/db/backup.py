"""A whole deployment in one file and back: the database and the evidence files.

An archive is a gzipped tar holding ``manifest.json`` (what it holds, from which schema, each
file's digest), the database (``database.sqlite`` by SQLite's online backup, or
``database.pgdump`` by ``pg_dump --format=custom``) and the upload folder under ``uploads/``.
The database is copied first and the files after it: a report written in between leaves a
file no row names (harmless), never a row whose file is missing.

A restore goes into the database of the same kind (a SQLite archive into SQLite, PostgreSQL's
into PostgreSQL), refuses a database that already holds an organisation unless told to
replace it, checks every file against its digest before anything is written, and brings the
schema to the latest revision afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from workflow.db.migrate import alembic_config, upgrade
from workflow.errors import InvalidInput, WorkflowError
from workflow.i18n import N_

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
UPLOADS = "uploads"


class BackupFailed(WorkflowError):
    """The database's own tools could not copy it; nothing was written or restored."""

    code = "backup_failed"


@dataclass(frozen=True)
class Summary:
    """What an archive holds: its schema revision, the rows of each table, the files."""

    revision: str
    backend: str
    rows: dict[str, int]
    files: int
    created_at: str


def backup(engine: Engine, upload_dir: Path, archive: Path) -> Summary:
    """Write the database at ``engine`` and the files under ``upload_dir`` to ``archive``."""
    backend = engine.dialect.name
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE[backend]
        if backend == "sqlite":
            _sqlite_copy(engine, dump)
        else:
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={dump}", f"--dbname={_libpq_url(engine)}"])  # fmt: skip
        files = _files(upload_dir)
        summary = Summary(
            revision=_revision(engine),
            backend=backend,
            rows=_row_counts(engine),
            files=len(files),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        manifest = {
            "format": FORMAT,
            **summary.__dict__,
            "digests": {name: _digest(path) for name, path in files.items()},
        }
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            tar.add(dump, arcname=DATABASE[backend])
            for name, path in files.items():
                tar.add(path, arcname=f"{UPLOADS}/{name}")
        partial.replace(archive)  # an archive is either whole or absent
    return summary


def restore(engine: Engine, upload_dir: Path, archive: Path, *, replace: bool = False) -> Summary:
    """Put ``archive`` back into the database at ``engine`` and into ``upload_dir``."""
    backend = engine.dialect.name
    with tempfile.TemporaryDirectory() as work, _open(archive) as tar:
        manifest = _manifest(tar)
        if manifest["backend"] != backend:
            raise InvalidInput(
                N_("This backup is of a %(kind)s database and cannot go into %(target)s."),
                kind=manifest["backend"],
                target=backend,
            )
        if manifest["revision"] not in _known_revisions(engine):
            raise InvalidInput(
                N_("This backup comes from a newer release (schema %(revision)s): upgrade first."),
                revision=manifest["revision"],
            )
        if not replace and _holds_data(engine):
            raise InvalidInput(
                N_("The database already holds data: restore into an empty one, or replace it.")
            )
        members = _checked_members(tar, manifest, Path(work))
        dump = members.pop(DATABASE[backend])  # the rest are the upload folder's files
        if backend == "sqlite":
            engine.dispose()
            with sqlite3.connect(dump) as source, sqlite3.connect(engine.url.database) as target:
                source.backup(target)
        else:
            _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                  "--no-privileges", "--single-transaction", f"--dbname={_libpq_url(engine)}",
                  str(dump)])  # fmt: skip
        for name, path in members.items():
            target = upload_dir / name.removeprefix(f"{UPLOADS}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
    upgrade(engine)
    fields = {key: manifest[key] for key in Summary.__dataclass_fields__}
    return Summary(**fields)


def _libpq_url(engine: Engine) -> str:
    """The engine's database as ``pg_dump`` and ``pg_restore`` take it (no driver name)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_copy(engine: Engine, dump: Path) -> None:
    """SQLite's online backup: a consistent copy while the app goes on writing."""
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(dump) as target:
            raw.driver_connection.backup(target)
    finally:
        raw.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            N_("%(tool)s is not installed: install the PostgreSQL client tools."), tool=name
        )
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupFailed(
            N_("%(tool)s failed: %(detail)s"),
            tool=Path(command[0]).name,
            detail=done.stderr.strip()[-500:],
        )


def _files(folder: Path) -> dict[str, Path]:
    """Every file under ``folder`` by its path inside it, in a stable order."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, content: str) -> None:
    data = content.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _revision(engine: Engine) -> str:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() or ""


def _known_revisions(engine: Engine) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(engine))
    return {revision.revision for revision in script.walk_revisions()}


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in sorted(inspect(connection).get_table_names())
            if table != "alembic_version"
        }


def _holds_data(engine: Engine) -> bool:
    """Whether the database has an organisation (every other row hangs from one)."""
    with engine.connect() as connection:
        if "organisation" not in inspect(connection).get_table_names():
            return False
        return connection.execute(text("SELECT 1 FROM organisation LIMIT 1")).first() is not None


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError):
        raise InvalidInput(
            N_("%(file)s is not a backup of Giao Việc."), file=archive.name
        ) from None


def _manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    except (KeyError, AttributeError, ValueError, tarfile.TarError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(N_("This file is not a backup of Giao Việc, or it is damaged."))
    return manifest


def _checked_members(tar: tarfile.TarFile, manifest: dict, work: Path) -> dict[str, Path]:
    """The archive's database and files unpacked into ``work``, by their names in the archive,
    each checked: only names the manifest lists (never a path out of the folder), every file
    matching its digest. Nothing is restored from an archive that fails any check."""
    digests: dict[str, str] = manifest["digests"]
    for name in digests:  # each lands inside the upload folder, or the archive is refused
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
            raise InvalidInput(N_("This file is not a backup of Giao Việc, or it is damaged."))
    wanted = {DATABASE[manifest["backend"]]: None} | {
        f"{UPLOADS}/{name}": digest for name, digest in digests.items()
    }
    found: dict[str, Path] = {}
    for member in tar:
        if member.name not in wanted or not member.isfile():
            continue
        path = work / f"{len(found)}.part"
        with tar.extractfile(member) as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        if wanted[member.name] is not None and _digest(path) != wanted[member.name]:
            raise InvalidInput(
                N_("The backup is damaged: %(file)s is not what was saved."), file=member.name
            )
        found[member.name] = path
    missing = [name for name in wanted if name not in found]
    if missing:
        raise InvalidInput(N_("The backup is incomplete: %(file)s is missing."), file=missing[0])
    return found
