"""What the ⑯ tests read and arrange in the database directly."""

from datetime import timedelta

from sqlmodel import col, select

from nexi import db
from nexi.clock import real_now
from nexi.models import AuditEvent, LoginFailure, LoginSession, WebUser
from nexi.security import login_key
from nexi.sessions import new_token

NEW_PASSWORD = "川の流れのように 静かに"


def user(app, login_id: str) -> WebUser:
    with app.app_context():
        found = db.session().exec(select(WebUser).where(WebUser.login_key == login_key(login_id))).one()
        db.session().expunge(found)
        return found


def change_user(app, login_id: str, **values) -> None:
    with app.app_context():
        found = db.session().exec(select(WebUser).where(WebUser.login_key == login_key(login_id))).one()
        for name, value in values.items():
            setattr(found, name, value)
        db.session().commit()


def failures(app, login_id: str) -> LoginFailure | None:
    with app.app_context():
        return db.session().get(LoginFailure, login_key(login_id))


def lock(app, login_id: str) -> None:
    with app.app_context():
        now = real_now()
        db.session().merge(LoginFailure(login_key=login_key(login_id), count=5, last_failed_at=now, locked_at=now))
        db.session().commit()


def audited(app, kind: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all())


def other_session(app, login_id: str) -> str:
    """A second live login session of the user (another device), as its row id."""
    with app.app_context():
        now = real_now()
        row = LoginSession(
            id=new_token(), user_id=user(app, login_id).id, created_at=now, last_seen_at=now, token=new_token()
        )
        db.session().add(row)
        db.session().commit()
        return row.id


def session_ended(app, session_id: str) -> bool:
    with app.app_context():
        return db.session().get(LoginSession, session_id).ended_at is not None


def live_sessions(app, login_id: str) -> int:
    with app.app_context():
        rows = db.session().exec(
            select(LoginSession).where(
                col(LoginSession.user_id) == user(app, login_id).id, col(LoginSession.ended_at).is_(None)
            )
        )
        return len(rows.all())


def issued_days_ago(app, login_id: str, days: float) -> None:
    change_user(app, login_id, temporary_password_at=real_now() - timedelta(days=days))
