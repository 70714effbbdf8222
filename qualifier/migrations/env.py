"""Alembic environment: migrate the lead store the qualifier was given."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from qualifier.models import Base


def run_migrations() -> None:
    """Run migrations online, on the connection or URL in the Alembic config."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return

    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
