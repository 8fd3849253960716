"""The deployment's connection pool is set in the settings: each gunicorn worker keeps that
many PostgreSQL connections, so workers × (size + overflow) can be held under the server's
``max_connections``."""

from __future__ import annotations

import pytest

from web import create_app


@pytest.mark.postgresql_only
def test_the_pool_of_each_process_is_the_settings_size(database_url, db):
    app = create_app(
        {"DATABASE_URL": database_url, "DATABASE_POOL_SIZE": "2", "DATABASE_MAX_OVERFLOW": "1"}
    )
    engine = app.extensions["giaoviec.engine"]
    pool = engine.pool
    held = [pool.connect() for _ in range(3)]  # two kept, one beyond them
    assert (pool.size(), pool.checkedout(), pool.overflow()) == (2, 3, 1)
    for connection in held:
        connection.close()
    assert pool.checkedin() == 2  # the one beyond is closed again
    engine.dispose()
