"""Alembic environment: the schema is SQLModel's metadata; the connection comes from the caller."""

from alembic import context

from workflow.db.schema import metadata

target_metadata = metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
