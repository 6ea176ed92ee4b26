"""C.5 daily jobs: `flask --app nexi run-daily` expires old drafts and purges old final records."""

from datetime import timedelta

from sqlmodel import select

from nexi import db
from nexi.clock import now
from nexi.models import Application, Status


def statuses(app):
    with app.app_context():
        return {a.number: a.status for a in db.session().exec(select(Application)).all()}


def test_old_drafts_expire_and_old_final_records_are_purged(app):
    with app.app_context():
        apps = db.session().exec(select(Application)).all()
        old_withdrawn = next(a for a in apps if a.status == Status.WITHDRAWN)
        old_withdrawn.updated_at = now() - timedelta(days=400)
        completed = next(a for a in apps if a.status == Status.COMPLETED)
        completed.updated_at = now() - timedelta(days=800)
        db.session().add_all([old_withdrawn, completed])
        db.session().commit()
        withdrawn_number, completed_number = old_withdrawn.number, completed.number
    before = statuses(app)
    result = app.test_cli_runner().invoke(args=["run-daily"])
    assert result.exit_code == 0, result.output
    after = statuses(app)
    assert withdrawn_number not in after  # purged after 12 months
    assert after[completed_number] == Status.COMPLETED  # 完了 is never purged
    expired = [n for n, s in before.items() if s == Status.DRAFT and after.get(n) == Status.EXPIRED]
    assert len(expired) == 1  # the 45-day-old draft of the demo data
    again = app.test_cli_runner().invoke(args=["run-daily"])
    assert "0件" in again.output and statuses(app) == after  # idempotent
