"""Web申込番号 (C.6): W + yyyymmdd + a 6-digit serial of one portal-wide daily sequence, unique
even when many users reach 確認 at the same moment (SQLite and PostgreSQL alike)."""

import re
import threading

from sqlmodel import select

from nexi import db
from nexi.clock import real_now
from nexi.demo import DEMO_PASSWORD
from nexi.models import Application, WebUser
from nexi.security import hash_password, login_key
from tests.support.portal import Portal
from tests.support.procedures import b01, walk

USERS = 12


def make_users(app, count):
    with app.app_context():
        customer_id = db.session().exec(select(WebUser.customer_id).where(WebUser.login_key == "demo-user")).one()
        password = hash_password(DEMO_PASSWORD)
        for n in range(count):
            db.session().add(
                WebUser(
                    customer_id=customer_id,
                    login_id=f"racer-{n:02}",
                    login_key=login_key(f"racer-{n:02}"),
                    name=f"利用者{n}",
                    password_hash=password,
                    created_at=real_now(),
                )
            )
        db.session().commit()


def test_numbers_follow_the_format_and_the_business_date(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-04-15T09:30:00")
    portal.login()
    dated = {"fiscal_end": "2026-01-31"}  # within 18 months of the fixed business date
    first = walk(portal, "buyers.register", b01(report=dated)).text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit"})
    second = walk(portal, "buyers.register", b01(buyer={"name_en": "SECOND BUYER LTD"}, report=dated))
    second = second.text(".panel .number")
    assert re.fullmatch(r"W20260415\d{6}", first)
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_simultaneous_arrivals_at_confirm_get_distinct_numbers(app):
    make_users(app, USERS)
    answers = b01()
    portals = []
    for n in range(USERS):
        portal = Portal(app, app.test_client())
        portal.login(f"racer-{n:02}")
        walk(portal, "buyers.register", {step: answers[step] for step in ("buyer", "company", "report")})
        portals.append(portal)
    barrier = threading.Barrier(USERS)
    pages, errors = [None] * USERS, []

    def arrive(index):
        try:
            barrier.wait()
            pages[index] = portals[index].go("procedure.input_submit", {"action": "next", **answers["plan"]})
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)

    threads = [threading.Thread(target=arrive, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    numbers = [page.text(".panel .number") for page in pages]
    assert len(set(numbers)) == USERS
    with app.app_context():
        saved = db.session().exec(select(Application.number).where(Application.target.startswith("NORTHWIND"))).all()
    assert sorted(saved) == sorted(numbers)
