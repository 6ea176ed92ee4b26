"""A ticked checkbox group is always kept as a list (procedure engine v2): the answers saved before
kept a group with one ticked box as a plain string. This rewrites them in the navigation state
(the search typed on Web申込状況一覧, a procedure in progress) and in saved drafts.

The checkbox groups as of this revision, written out here so the migration does not change when
the forms do: Web申込状況一覧's 状況 (`statuses`); no procedure declared yet asks one.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEARCH_GROUPS = ("statuses",)
PROCEDURE_GROUPS: dict[str, tuple[str, ...]] = {}  # procedure code → its checkbox group fields


def _listed(values: dict, names) -> bool:
    changed = False
    for name in names:
        if isinstance(values.get(name), str):
            values[name] = [values[name]] if values[name] else []
            changed = True
    return changed


def _answers(data: dict | None, code: str | None) -> bool:
    """Rewrite the groups of a procedure's saved answers ({"values": {step: {field: value}}})."""
    names = PROCEDURE_GROUPS.get(code or "", ())
    steps = (data or {}).get("values") or {}
    return any([_listed(values, names) for values in steps.values() if isinstance(values, dict)])


def upgrade() -> None:
    connection = op.get_bind()
    sessions = sa.table(
        "login_session", sa.column("id", sa.Integer), sa.column("screen_args", sa.JSON), sa.column("procedure", sa.JSON)
    )
    for row in connection.execute(sa.select(sessions)).all():
        screen_args, procedure = dict(row.screen_args or {}), row.procedure
        typed = dict(screen_args.get("typed") or {})
        changed = _listed(typed, SEARCH_GROUPS)
        if changed:
            screen_args["typed"] = typed
        if procedure and _answers(procedure, procedure.get("code")):
            changed = True
        if changed:
            connection.execute(
                sessions.update().where(sessions.c.id == row.id).values(screen_args=screen_args, procedure=procedure)
            )
    if not PROCEDURE_GROUPS:
        return
    applications = sa.table(
        "application", sa.column("id", sa.Integer), sa.column("procedure", sa.String), sa.column("data", sa.JSON)
    )
    query = sa.select(applications).where(applications.c.procedure.in_(list(PROCEDURE_GROUPS)))
    for row in connection.execute(query).all():
        data = dict(row.data or {})
        if _answers(data, row.procedure):
            connection.execute(applications.update().where(applications.c.id == row.id).values(data=data))


def downgrade() -> None:
    """Lists are read as well as strings were: nothing to undo."""
