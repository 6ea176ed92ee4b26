"""C.5 daily jobs: `flask --app nexi run-daily` expires old drafts and purges old final records.

The tests of 期限切れ look at the screens too: 状況履歴 and the list's order are what the user sees."""

from datetime import timedelta

from sqlmodel import select

from nexi import applications, db
from nexi.clock import JST, now, to_jst
from nexi.models import Application, ApplicationEvent, Status


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


def _draft(app, days_ago: int | None = None) -> Application:
    """The demo's 45-day-old draft, or that draft last saved `days_ago` days ago."""
    with app.app_context():
        draft = db.session().exec(select(Application).where(Application.procedure == "B05")).one()
        if days_ago is not None:
            moment = now() - timedelta(days=days_ago)
            draft.created_at = draft.saved_at = draft.listed_at = draft.updated_at = moment
            db.session().add(draft)
            db.session().commit()
        db.session().refresh(draft)
        db.session().expunge(draft)
        return draft


def _history(portal, number) -> list[list[str]]:
    page = portal.go("status.detail", {"number": number})
    return [row.split(" ", 3) for row in page.texts("section[aria-labelledby=history-title] tbody tr")]


def _expired_listing(portal) -> list[str]:
    page = portal.go(
        "status.search",
        {
            "date_from": (now() - timedelta(days=300)).date().isoformat(),
            "date_to": now().date().isoformat(),
            "statuses": [status.value for status in Status],
            "order": "new",
        },
    )
    return [button["value"] for button in page.select("#application-list tbody button")]


def test_an_expired_draft_gets_its_history_entry_and_keeps_its_last_update(app, portal):
    draft = _draft(app)
    portal.login("demo-user")
    listing = _expired_listing(portal)
    assert app.test_cli_runner().invoke(args=["run-daily"]).exit_code == 0
    with app.app_context():
        marked = db.session().get(Application, draft.id)
        event = db.session().exec(select(ApplicationEvent).where(ApplicationEvent.status == Status.EXPIRED)).one()
        assert marked.status == Status.EXPIRED and marked.updated_at == draft.updated_at
        assert event.application_id == draft.id and event.user_id is None
        assert event.at == draft.saved_at + timedelta(days=app.config["NEXI_DRAFT_EXPIRY_DAYS"])
    # What the user sees: the list in the same order, 期限切れ last in 状況履歴, when it expired.
    assert _expired_listing(portal) == listing
    saved, expired = _history(portal, draft.number)
    assert saved[2] == "一時保存" and expired[2:] == [
        "期限切れ",
        "NEXI 最後の一時保存から30日が経過したため、期限切れになりました。",
    ]
    expired_at = to_jst(draft.saved_at + timedelta(days=30)).strftime("%Y年%m月%d日 %H:%M")
    assert " ".join(expired[:2]) == expired_at
    assert app.test_cli_runner().invoke(args=["run-daily"]).exit_code == 0
    assert [row[2] for row in _history(portal, draft.number)] == ["一時保存", "期限切れ"]  # once only


def test_a_draft_is_purged_twelve_months_after_its_last_save_not_after_its_expiry(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", app.config.get("NEXI_NOW", ""))
    draft = _draft(app, days_ago=330)
    assert app.test_cli_runner().invoke(args=["run-daily"]).exit_code == 0
    assert statuses(app)[draft.number] == Status.EXPIRED  # expired, not yet 12 months old
    later = (now() + timedelta(days=40)).astimezone(JST).date().isoformat()
    result = app.test_cli_runner().invoke(args=["run-daily", "--date", later])
    assert result.exit_code == 0 and draft.number not in statuses(app)
    with app.app_context():
        assert not db.session().exec(select(ApplicationEvent).where(ApplicationEvent.application_id == draft.id)).all()


def test_a_draft_not_yet_marked_is_purged_like_an_expired_one(app):
    # 4-2: drafts whose last update is more than 12 months ago are purged, marked or not.
    draft = _draft(app, days_ago=400)
    with app.app_context():
        assert applications.purge_old() == 1
        db.session().commit()
    assert draft.number not in statuses(app)
