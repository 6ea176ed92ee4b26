"""The Alembic migrations create exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from nexi import db


def test_the_migrations_match_the_models(app):
    with app.app_context(), db.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def _migration(name: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_checkbox_group_saved_as_a_string_becomes_a_list():
    """0006: the search typed on Web申込状況一覧 with one 状況 ticked was kept as a string."""
    import json

    import sqlalchemy as sa
    from alembic.operations import Operations

    migration = _migration("0006_checkbox_lists")
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(
            sa.text("CREATE TABLE login_session (id INTEGER PRIMARY KEY, screen_args JSON, procedure JSON)")
        )
        rows = [
            (1, {"typed": {"statuses": "draft", "number": "W1"}, "page": 1}),
            (2, {"typed": {"statuses": ["draft", "returned"]}}),
            (3, {"criteria": {"statuses": ["draft"]}}),
        ]
        for row_id, args in rows:
            connection.execute(
                sa.text("INSERT INTO login_session VALUES (:id, :args, NULL)"), {"id": row_id, "args": json.dumps(args)}
            )
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()
        stored = dict(connection.execute(sa.text("SELECT id, screen_args FROM login_session")).all())
    assert json.loads(stored[1]) == {"typed": {"statuses": ["draft"], "number": "W1"}, "page": 1}
    assert json.loads(stored[2]) == {"typed": {"statuses": ["draft", "returned"]}}
    assert json.loads(stored[3]) == {"criteria": {"statuses": ["draft"]}}
