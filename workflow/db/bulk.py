"""The bulk path: rows written straight into a table, for loading a large body of data (a
country's communes, a benchmark) where the services' one-step-at-a-time writes would take
hours.

PostgreSQL takes them with ``COPY … FROM STDIN`` (psycopg's binary-free text copy, typed by the
table's columns); SQLite with one ``executemany`` of the table's INSERT. The rows bypass the
services: the caller brings rows that are already consistent (ids, states, history), inside
its one transaction, ``finish`` moves PostgreSQL's id sequences past what it wrote and
updates the planners' statistics, and ``vacuum`` (after the transaction) settles the tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Engine, Table, func, select, text

from workflow.db.engine import autocommit


def copy_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]):
    """Write ``rows`` (tuples in the order of ``columns``) into ``table``; returns how many."""
    if connection.dialect.name == "postgresql":
        return _copy_postgresql(connection, table, columns, rows)
    statement = table.insert()
    batch = [dict(zip(columns, row, strict=True)) for row in rows]
    if batch:
        connection.execute(statement, batch)
    return len(batch)


def _copy_postgresql(connection, table, columns, rows) -> int:
    raw = connection.connection.driver_connection  # psycopg's own connection
    json_columns = {i for i, name in enumerate(columns) if _is_json(table.c[name])}
    names = ", ".join(f'"{name}"' for name in columns)
    count = 0
    with raw.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            if json_columns:
                row = tuple(
                    json.dumps(value, ensure_ascii=False) if i in json_columns else value
                    for i, value in enumerate(row)
                )
            copy.write_row(row)
            count += 1
    return count


def _is_json(column) -> bool:
    return column.type.__class__.__name__.upper() in {"JSON", "JSONB"}


def finish(connection: Connection, tables: Iterable[Table]) -> None:
    """After a bulk load: PostgreSQL's id sequences start past the largest id written, and
    both databases' planners learn the tables' new sizes (``ANALYZE``): planned on the
    statistics of empty tables, a commune's page would scan the whole country's tasks."""
    tables = list(tables)
    if connection.dialect.name != "postgresql":
        connection.execute(text("ANALYZE"))
        return
    for table in tables:
        connection.execute(text(f'ANALYZE "{table.name}"'))
        if "id" not in table.c:
            continue
        largest = connection.execute(select(func.max(table.c.id))).scalar() or 0
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence:
            connection.execute(
                text("SELECT setval(:seq, :value)"), {"seq": sequence, "value": max(largest, 1)}
            )


def vacuum(engine: Engine, tables: Iterable[Table]) -> None:
    """After a bulk load on PostgreSQL, ``VACUUM`` the tables at once (outside any
    transaction): it sets the visibility map the index-only scans need, and spares the pages
    served next an autovacuum pass over millions of fresh rows, which on a 2-core machine
    halved every figure measured while it ran. SQLite needs nothing."""
    if engine.dialect.name != "postgresql":
        return
    with autocommit(engine) as connection:
        for table in tables:
            connection.execute(text(f'VACUUM "{table.name}"'))
