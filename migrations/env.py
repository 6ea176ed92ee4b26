"""Alembic environment: the portal's models, on the database the portal is configured for."""

from alembic import context
from sqlmodel import SQLModel

import nexi.models  # noqa: F401  (registers every table)
from nexi.config import load
from nexi.db import make_engine
from nexi.models.types import UTCDateTime

config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.attributes.get("url") or load()["NEXI_DATABASE_URL"],
        target_metadata=SQLModel.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = make_engine(config.attributes.get("url") or load()["NEXI_DATABASE_URL"])
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connection)


def _render_item(kind, obj, autogen_context):
    """A new migration names UTCDateTime where it lives (nexi.models.types), so it imports that
    module (the older ones name it through nexi.db, which still offers it)."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import nexi.models.types")
    return False  # rendered as usual


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite and not connection.in_transaction():
        # Batch mode alters a SQLite table by copying it into a new one and dropping the old:
        # with foreign keys enforced, the drop fails as soon as a row refers to the table. The
        # pragma only works outside a transaction, so it goes to the driver's connection.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        render_item=_render_item,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite and not connection.in_transaction():
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
