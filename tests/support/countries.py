"""Helpers of the 国・地域マスタ tests (S.9, M.1): a fixed business clock, versions written
directly, and the staff screens walked to 確認."""

from datetime import date

from sqlmodel import col, delete, func, select

from nexi import cache, db
from nexi.models import AuditEvent, Country

TODAY = "2026-04-15T10:00:00+09:00"
NEXT_MONTH = "2026-05-01"

NEW_COUNTRY = {
    "code": "606",
    "valid_from": NEXT_MONTH,
    "name_ja": "ニュージーランド",
    "name_en": "New Zealand",
    "region": "大洋州",
    "category": "A",
    "policy": "引受可能",
    "case_limit_oku": "",
    "max_usance_months": "",
    "lc_condition": "",
    "note": "",
}


def fixed_clock(app, monkeypatch):
    """For a `clock` fixture: the business clock on 2026-04-15; `clock("2026-05-01")` moves it to
    10:00 JST of that day. The versions a test adds are removed afterwards (the masters are the
    migrations' rows, kept by tests/conftest.py's reset; a test without `app` must not see them)."""
    monkeypatch.setitem(app.config, "NEXI_NOW", TODAY)
    with app.app_context():
        last = db.session().exec(select(func.max(Country.id))).one()

    def move(day: str) -> None:
        app.config["NEXI_NOW"] = f"{day}T10:00:00+09:00"

    yield move
    with app.app_context():
        db.session().exec(delete(Country).where(col(Country.id) > last))
        db.session().commit()
    cache.clear()


def versions(app, code):
    with app.app_context():
        rows = db.session().exec(select(Country).where(Country.code == code).order_by(Country.valid_from)).all()
        for row in rows:
            db.session().expunge(row)
        return rows


def add_version(app, code, valid_from, **changes):
    """A version of `code` written directly (like a migration would), the latest one's values changed."""
    with app.app_context():
        latest = db.session().exec(select(Country).where(Country.code == code).order_by(Country.valid_from)).all()[-1]
        values = latest.model_dump(exclude={"id"}) | {"valid_from": date.fromisoformat(valid_from)} | changes
        version = Country(**values)
        db.session().add(version)
        db.session().commit()
        return version.id


def audits(app, kind):
    with app.app_context():
        return db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all()


def open_country(staff, code):
    staff.go("staff.countries")
    return staff.go("staff.country", {"country": code})


def fill_new_version(staff, code, **changes):
    """新しい版の登録 of `code` up to 確認: the prefilled form as shown, with `changes`."""
    open_country(staff, code)
    page = staff.go("staff.country_new")
    return staff.go("staff.country_check", {"action": "next", **page.form_values() | changes})


def register_version(staff, code, **changes):
    page = fill_new_version(staff, code, **({"valid_from": NEXT_MONTH} | changes))
    assert page.h1 == "新しい版の登録（確認）", page.error_summary
    return staff.go("staff.country_save", {"action": "submit"})


def version_buttons(page):
    return {(button.get_text(strip=True), button["value"]) for button in page.select(".version-actions button")}


def add_country(staff, **changes):
    staff.go("staff.countries")
    assert staff.go("staff.country_add").h1 == "国・地域の新規登録"
    return staff.go("staff.country_check", {"action": "next", **NEW_COUNTRY, **changes})
