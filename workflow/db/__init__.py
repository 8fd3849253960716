"""The database: engines and transactions (``engine``), column types (``types``), the whole
schema (``schema``) and its Alembic migrations (``migrate``, ``migrations/``)."""
