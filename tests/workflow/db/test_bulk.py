"""The bulk path writes rows as the services would have: read back the same (Vietnamese
text, instants, JSON), and the tables go on taking rows the ordinary way after it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import select

from workflow.db.bulk import copy_rows, finish, vacuum
from workflow.db.schema import metadata
from workflow.organisations.models import Organisation, Unit

UNIT_COLUMNS = (
    *("id", "organisation_id", "code", "name", "short_name", "aliases", "kind", "head_title"),
    *("holder", "is_group", "members_later", "is_example"),
)
CELL = ("", ["thôn Đông"], "party_organisation", "Bí thư", "", False, False, False)
USER_COLUMNS = (
    *("id", "organisation_id", "username", "full_name", "email", "password_hash", "role"),
    *("unit_id", "active", "locale", "email_digests", "session_version", "created_at"),
)


def test_rows_copied_in_bulk_read_back_the_same(db, session):
    organisation, unit = metadata.tables["organisation"], metadata.tables["unit"]
    with db.begin() as connection:
        copy_rows(
            connection,
            organisation,
            ["id", "code", "name", "kind", "place", "level", "parent_id"],
            [(7, "XA-1", "Đảng bộ xã Ngũ Phúc", "party", "Ngũ Phúc", "commune", None)],
        )
        copy_rows(
            connection,
            unit,
            UNIT_COLUMNS,
            ((40 + n, 7, f"CB{n}", f"Chi bộ thôn {n}", *CELL) for n in range(3)),
        )
        finish(connection, [organisation, unit])
    found = session.exec(select(Unit).where(Unit.organisation_id == 7).order_by(Unit.id)).all()
    assert [(u.id, u.name, u.aliases) for u in found] == [
        (40, "Chi bộ thôn 0", ["thôn Đông"]),
        (41, "Chi bộ thôn 1", ["thôn Đông"]),
        (42, "Chi bộ thôn 2", ["thôn Đông"]),
    ]
    session.add(Organisation(code="XA-2", name="Xã Hai", kind="party"))
    session.add(Unit(organisation_id=7, code="CB9", name="Chi bộ 9", kind="party_organisation"))
    session.commit()  # the ordinary way after the bulk one: ids past those written
    assert session.exec(select(Unit.id).where(Unit.code == "CB9")).one() == 43
    session.commit()


def test_instants_copied_in_bulk_stay_instants(db, session, ward):
    head_term = metadata.tables["head_term"]
    unit = session.exec(select(Unit).where(Unit.organisation_id == ward.id)).first()
    session.commit()  # let go of SQLite's read: the bulk path writes
    user = metadata.tables["app_user"]
    when = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
    settings = (True, "vi", True, 0, when)
    with db.begin() as connection:
        copy_rows(
            connection,
            user,
            USER_COLUMNS,
            [
                (
                    90,
                    ward.id,
                    "truong.moi",
                    "Trưởng Mới",
                    "m@x.vn",
                    "!",
                    "unit_head",
                    unit.id,
                    *settings,
                )
            ],
        )
        copy_rows(
            connection,
            head_term,
            ["id", "unit_id", "user_id", "started_at", "ended_at"],
            [(5, unit.id, 90, when, None)],
        )
    session.commit()
    started = session.exec(select(head_term.c.started_at)).one()
    assert started == when
    session.commit()


@pytest.mark.postgresql_only
def test_a_bulk_load_is_vacuumed_after_its_transaction(db):
    """PostgreSQL's own statistics say the table was vacuumed, by hand, not by autovacuum."""
    organisation = metadata.tables["organisation"]
    with db.begin() as connection:
        copy_rows(
            connection,
            organisation,
            ["id", "code", "name", "kind", "place", "level"],
            [(9, "XA-9", "Xã Chín", "party", "Chín", "commune")],
        )
        finish(connection, [organisation])
    vacuum(db, [organisation])
    with db.connect() as connection:
        vacuumed = connection.execute(
            text("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'organisation'")
        ).scalar()
    assert vacuumed is not None
