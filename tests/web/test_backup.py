"""``giaoviec backup`` and ``giaoviec restore``: a deployment saved to one file and put back
into an empty database holds every row and every evidence file it held; a damaged or foreign
file, or a database already in use, is refused with nothing changed."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

from tests.conftest import PDF, app_on
from workflow.organisations.models import Organisation
from workflow.tasks.evidence import EvidenceStore, Upload
from workflow.tasks.models import Report


@pytest.fixture
def saved(session, history, app, runner, tmp_path):
    """The acted-out history with two evidence files (Vietnamese names), saved by
    ``giaoviec backup``; returns the archive."""
    store = EvidenceStore(Path(app.config["UPLOAD_DIR"]), 1 << 20)
    report = session.exec(select(Report).order_by(Report.id)).first()
    files = [
        Upload("Biên bản họp chi bộ.pdf", io.BytesIO(PDF)),
        Upload("Ảnh.pdf", io.BytesIO(PDF + b"2")),
    ]
    store.keep(session, report, files)
    session.commit()
    archive = tmp_path / "sao lưu.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert "2 tệp" in result.stdout
    return archive


@pytest.fixture
def elsewhere(another_database, tmp_path):
    """A second deployment: its own empty database and upload folder."""
    with app_on(another_database, tmp_path / "elsewhere-uploads") as app:
        yield app


def contents(engine) -> dict[str, list[tuple]]:
    """Every table's rows, in the order of their keys."""
    with engine.connect() as connection:
        found = {}
        for table in SQLModel.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            found[table.name] = [
                tuple(row) for row in connection.execute(table.select().order_by(*order))
            ]
        found["alembic_version"] = connection.execute(text("SELECT * FROM alembic_version")).all()
        return found


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_restored_backup_holds_every_row_and_every_file(app, db, saved, elsewhere):
    result = elsewhere.test_cli_runner().invoke(args=["restore", str(saved)])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert result.stdout.startswith("Đã khôi phục sao lưu.tar.gz")
    restored = elsewhere.extensions["giaoviec.engine"]
    assert contents(restored) == contents(db)
    assert sum(len(rows) for rows in contents(db).values()) > 50
    uploaded = files_in(Path(app.config["UPLOAD_DIR"]))
    assert len(uploaded) == 2
    assert files_in(Path(elsewhere.config["UPLOAD_DIR"])) == uploaded
    # the restored database goes on numbering where the saved one stopped
    with Session(restored) as session:
        session.add(Organisation(code="MOI", name="Phường mới", kind="party"))
        session.commit()


def test_a_database_in_use_is_not_restored_over_unless_asked(app, db, saved, elsewhere):
    again = app.test_cli_runner().invoke(args=["restore", str(saved)])
    assert again.exit_code == 1
    assert "Cơ sở dữ liệu đã có dữ liệu" in again.stderr
    before = contents(db)
    with Session(db) as session:
        session.add(Organisation(code="MOI", name="Phường mới", kind="party"))
        session.commit()
    replaced = app.test_cli_runner().invoke(args=["restore", "--replace", str(saved)])
    assert replaced.exit_code == 0, (replaced.stdout, replaced.stderr, replaced.exception)
    assert contents(db) == before


def rewritten(archive: Path, copy: Path, change) -> Path:
    """A copy of ``archive`` whose members ``change(name, data)`` rewrites."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(copy, "w:gz") as target:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return copy


def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_restored(saved, elsewhere, tmp_path):
    runner = elsewhere.test_cli_runner()
    damaged = rewritten(
        saved, tmp_path / "damaged.tar.gz", lambda name, data: b"x" + data if "/" in name else data
    )

    def other_kind(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["backend"] = "postgresql" if manifest["backend"] == "sqlite" else "sqlite"
        return json.dumps(manifest).encode()

    foreign = rewritten(saved, tmp_path / "foreign.tar.gz", other_kind)

    def escaping(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["digests"]["/tmp/giaoviec-escaped"] = "0" * 64
        return json.dumps(manifest).encode()

    outside = rewritten(saved, tmp_path / "outside.tar.gz", escaping)
    not_one = tmp_path / "ke-hoach.tar.gz"
    not_one.write_bytes(PDF)
    for archive, said in (
        (damaged, "Bản sao lưu bị hỏng"),
        (foreign, "không thể đưa vào"),
        (not_one, "không phải là bản sao lưu của Giao Việc"),
        (outside, "không phải là bản sao lưu của Giao Việc, hoặc đã bị hỏng"),
    ):
        result = runner.invoke(args=["restore", str(archive)])
        assert result.exit_code == 1, archive
        assert said in result.stderr
    assert inspect(elsewhere.extensions["giaoviec.engine"]).get_table_names() == []
    assert files_in(Path(elsewhere.config["UPLOAD_DIR"])) == {}
