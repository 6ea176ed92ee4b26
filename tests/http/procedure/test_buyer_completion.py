"""S.3 完了 of B01–B05 through each procedure's 完了 hook (the staff console calls the same hook):
what NEXI enters, what the register becomes, and what the customer sees — バイヤーコード, 格付,
格付適用日, 枠あり / 枠なし, never the 設定額 (C.4.1)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from nexi import db
from nexi.clock import today
from nexi.models import Application, Buyer, BuyerStatus, Status
from nexi.procedures import flow
from nexi.procedures.buyers.completion import RegisterResultForm
from nexi.procedures.registry import PROCEDURES
from tests.support.files import pdf, upload
from tests.support.procedures import b01, submit, walk


def complete(app, number, **inputs) -> Application:
    with app.app_context():
        application = db.session().exec(select(Application).where(Application.number == number)).one()
        flow.complete(application, inputs)
        db.session().commit()
        return db.session().exec(select(Application).where(Application.number == number)).one()


def buyer(app, code) -> Buyer:
    with app.app_context():
        return db.session().exec(select(Buyer).where(Buyer.code == code)).one()


def test_b01_registers_the_buyer_with_the_next_code_of_its_country(app, portal):
    portal.login()
    number = submit(portal, "buyers.register", b01())
    done = complete(app, number, rating="EA", rated_on=today().isoformat(), limit_amount="50000000")
    assert done.status == Status.COMPLETED
    day = f"{today().year}年{today().month}月{today().day}日"
    assert done.result == {"バイヤーコード": "304-000103", "格付": "EA", "格付適用日": day, "個別保証枠": "枠あり"}
    registered = buyer(app, "304-000103")
    assert (registered.name_en, registered.limit_amount, registered.status) == (
        "NORTHWIND TRADERS LTD",
        50_000_000,
        BuyerStatus.REGISTERED,
    )
    assert registered.last_activity_on == today()
    second = submit(portal, "buyers.register", b01(buyer={"name_en": "SOUTHWIND LLC"}))
    assert complete(app, second, rating="EC").result["バイヤーコード"] == "304-000104"


def test_the_customer_sees_the_result_but_never_the_amount(app, portal):
    portal.login()
    number = submit(portal, "buyers.register", b01())
    complete(app, number, rating="EE", limit_amount="98765432")
    page = portal.go("status.detail", {"number": number})
    assert "完了" in page.text("main")
    result = dict(
        zip(page.texts("#result-title + .summary-list dt"), page.texts("#result-title + .summary-list dd"), strict=True)
    )
    assert result["バイヤーコード"] == "304-000103" and result["個別保証枠"] == "枠あり"
    assert "98765432" not in page.html and "98,765,432" not in page.html


def test_b01_an_ee_to_ef_rating_needs_an_amount(app):
    with app.test_request_context():
        from werkzeug.datastructures import MultiDict

        form = RegisterResultForm(MultiDict({"rating": "EM", "rated_on": today().isoformat()}))
        assert not form.validate()
        assert form.errors["rating"] == ["格付EMの海外商社には設定額を入力してください"]
        assert RegisterResultForm(MultiDict({"rating": "GS", "rated_on": today().isoformat()})).validate()


def test_b01_a_bank_branch_registered_with_its_head_office_gets_it_first(app, portal):
    portal.login()
    answers = b01(
        company={"office_type": "branch", "head_registered": "no", "industry": "銀行"},
        head_office={"name_en_head": "NORTHWIND BANK", "country_head": "302", "address_head": "1 Main St",
                     "city_head": "London"},
    )  # fmt: skip
    answers = {k: answers[k] for k in ("buyer", "company", "head_office", "report", "plan")}
    page = walk(portal, "buyers.register", {k: answers[k] for k in ("buyer", "company")})
    page = portal.go(
        "procedure.input_submit",
        {"action": "next", **answers["head_office"], "directory_files": [upload(pdf(text="dir"), "dir.pdf")]},
    )
    for step in ("report", "plan"):
        page = portal.go("procedure.input_submit", {"action": "next", **answers[step]})
    assert page.h1.endswith("（申込内容確認）"), page.error_summary
    number = page.text(".panel .number")
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    result = complete(app, number, rating="SA").result
    head, branch = buyer(app, result["本店バイヤーコード"]), buyer(app, result["バイヤーコード"])
    assert head.code.startswith("302-") and head.id < branch.id
    assert branch.head_office_id == head.id and branch.relation == "支店"


def test_b02_gives_the_new_rating_from_its_date(app, portal):
    portal.login()
    number = submit(portal, "buyers.rating_change", {
        "target": {"buyer_code": "304-000101", "reason": "財務内容の改善"},
        "report": {"report_mode": "request", "fee_ack": "y"},
    })  # fmt: skip
    before = buyer(app, "304-000101").rating
    done = complete(app, number, rating="EE", rated_on=today().isoformat(), limit_amount="1000")
    assert done.result["変更前の格付"] == before and done.result["格付"] == "EE"
    assert buyer(app, "304-000101").rating == "EE" and buyer(app, "304-000101").rated_on == today()


def test_b03_applies_the_new_address_at_completion(app, portal):
    portal.login()
    number = submit(portal, "buyers.name_address", {"change": {
        "buyer_code": "304-000101", "change_kind": "address", "new_address": "500 New Street",
        "new_city": "Portland", "reason": "移転", "evidence_files": [upload(pdf(text="ev"), "ev.pdf")],
    }})  # fmt: skip
    assert buyer(app, "304-000101").address != "500 New Street"
    complete(app, number)
    moved = buyer(app, "304-000101")
    assert (moved.address, moved.city, moved.code) == ("500 New Street", "Portland", "304-000101")


def test_b04_registers_a_linked_buyer_with_its_own_code_or_removes_one(app, portal):
    portal.login()
    number = submit(portal, "buyers.branches", {
        "head": {"head_code": "304-000101", "action": "register", "relation": "branch"},
        "register": {"branch_name_en": "ACME MEXICO", "branch_country": "305", "branch_address": "Av 1",
                     "branch_city": "Monterrey", "branch_industry": "商社"},
    })  # fmt: skip
    code = complete(app, number, rating="EA", limit_amount="1000").result["バイヤーコード"]
    branch = buyer(app, code)
    assert code.startswith("305-") and branch.head_office_id == buyer(app, "304-000101").id
    number = submit(portal, "buyers.branches", {
        "head": {"head_code": "205-000501", "action": "delete", "relation": "branch"},
        "delete": {"target_code": "112-000502", "delete_reason": "閉鎖"},
    })  # fmt: skip
    complete(app, number)
    removed = buyer(app, "112-000502")
    assert removed.status == BuyerStatus.DELETED and removed.deleted_reason == "閉鎖"
    assert PROCEDURES["B04"].result_form_for({"action": "delete"}) is None


def test_b05_clears_the_candidate_and_restarts_its_dormancy_clock(app, portal):
    portal.login()
    plan = (today() + timedelta(days=60)).strftime("%Y-%m")
    number = submit(portal, "buyers.sleeping_release", {"release": {
        "buyer_code": "601-000901", "release_reason": "取引再開予定", "plan_product": "01", "plan_month": plan,
        "plan_amount": "1000", "plan_currency": "USD",
    }})  # fmt: skip
    complete(app, number)
    kept = buyer(app, "601-000901")
    assert kept.status == BuyerStatus.REGISTERED and kept.release_deadline is None
    assert kept.last_activity_on == today()


@pytest.mark.parametrize("inputs", [{}, {"rating": "XX"}, {"rating": "EA"}])
def test_b01_refuses_to_complete_without_valid_inputs(app, portal, inputs):
    portal.login()
    number = submit(portal, "buyers.register", b01())
    with pytest.raises(ValueError), app.app_context():
        application = db.session().exec(select(Application).where(Application.number == number)).one()
        flow.complete(application, inputs)
