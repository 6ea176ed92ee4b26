"""Helpers of the マスタ管理 tests (S.9: M.2–M.4, the §6 tariff and weights): a fixed business
clock, rows read and written directly, what the readers of nexi/masters.py return, and the staff
screens walked to 確認."""

from datetime import date

from sqlmodel import select

from nexi import db
from nexi.models import AuditEvent, Currency

TODAY = "2026-04-15T10:00:00+09:00"
TOMORROW, NEXT_MONTH = "2026-04-16", "2026-05-01"
USD_JULY = date(2026, 7, 1)  # the migration's second USD version: not yet in effect on TODAY


def fixed_clock(app, monkeypatch):
    """For a `clock` fixture: the business clock on 2026-04-15; `clock("2026-05-01")` moves it to
    10:00 JST of that day (the versions a test adds are removed by tests/conftest.py's reset)."""
    monkeypatch.setitem(app.config, "NEXI_NOW", TODAY)

    def move(day: str) -> None:
        app.config["NEXI_NOW"] = f"{day}T10:00:00+09:00"

    return move


def read(app, reader, day=None):
    """What a reader of nexi/masters.py returns (on `day`, default the business today)."""
    with app.test_request_context():
        return reader(day)


def rows(app, model, **where):
    with app.app_context():
        statement = select(model).filter_by(**where).order_by(model.valid_from)
        found = db.session().exec(statement).all()
        for row in found:
            db.session().expunge(row)
        return found


def write(app, statement) -> None:
    """Another staff member's change, committed between two requests."""
    with app.app_context():
        db.session().exec(statement)
        db.session().commit()


def add_row(app, model, **values) -> int:
    with app.app_context():
        row = model(**values)
        db.session().add(row)
        db.session().commit()
        return row.id


def audits(app, kind):
    with app.app_context():
        return db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all()


def usd(app, day=USD_JULY):
    return next(row for row in rows(app, Currency, code="USD") if row.valid_from == day)


def open_list(staff, master):
    staff.go("staff.masters")
    return staff.go("staff.master_list", {"master": master})


def open_key(staff, master, key):
    """The detail of the key whose first cell in the master's list reads `key`."""
    page = open_list(staff, master)
    button = next(b for b in page.select("tr.master-row th button") if b.get_text(strip=True) == key)
    return staff.go("staff.master_detail", {"version": button["value"]})


def fill_new_version(staff, master, key, **changes):
    """新しい版の追加 of a key up to 確認: the prefilled form as shown, with `changes`."""
    open_key(staff, master, key)
    page = staff.go("staff.master_new")
    return staff.go("staff.master_check", {"action": "next", **page.form_values() | changes})


def add_version(staff, master, key, **changes):
    page = fill_new_version(staff, master, key, **{"valid_from": NEXT_MONTH} | changes)
    assert page.h1 == "新しい版の追加（確認）", page.error_summary
    return staff.go("staff.master_save", {"action": "submit"})


def version_buttons(page):
    return {(button.get_text(strip=True), button["value"]) for button in page.select(".version-actions button")}


def edit_july(staff, **changes):
    """版の編集 of USD's July version up to 確認."""
    open_key(staff, "currency", "USD")
    page = staff.go("staff.master_edit", {"version": str(usd(staff.app).id)})
    assert page.h1 == "版の編集"
    return staff.go("staff.master_check", {"action": "next", **page.form_values() | changes})
