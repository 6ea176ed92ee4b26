"""A01 損失等発生通知 (DOMAIN.md 11-1): the three 通知区分 and their conditional fields, the cause 13
rule, the amounts against the policy, the 45-day deadlines, "a loss notice exists" from 申込む (no
second A01 on that 決済期限, no L03 on it, no IA2 on the policy; the other 決済期限 stay usable), 取下げ
ending it, and NEXI's 受理 creating the 事故 with its 事故番号 and claim dates."""

from datetime import date

import pytest
from sqlmodel import select

from nexi import db, policies
from nexi.models import Application, Loss, LossNotice, LossState, NoticeKind, PolicyState, Status
from tests.http.inquiry.test_policies import search
from tests.http.insurance.test_copy import copy_of, shown
from tests.http.limits.test_l02 import change_policy, covered_policy_of, own_and_other, policy_row, read
from tests.http.staff.test_review import decide
from tests.support.procedures import submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")

ENDPOINT = "losses.notice"
SCHEDULE = [(date(2026, 8, 1), 3_000_000), (date(2026, 9, 1), 3_000_000), (date(2026, 10, 1), 4_000_000)]
POST, PRE, EXTRA = NoticeKind.POST.value, NoticeKind.PRE.value, NoticeKind.EXTRA.value


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


@pytest.fixture
def key(app):
    (mine, user), _other = own_and_other(app)
    return covered_policy_of(app, mine, user, SCHEDULE)


def post(key, **content) -> dict:
    return {
        "target": {"policy_number": key, "kind": POST},
        "content": {
            "instalment": "1", "cause": "12", "expected_loss": "30,000.00", "unpaid": "30,000.00",
            "history": "期日に支払がなく督促中", "recovery": "交渉中", "dispute": "無",
        } | content,
    }  # fmt: skip


def pre(key, kind=PRE, **content) -> dict:
    return {
        "target": {"policy_number": key, "kind": kind},
        "content": {
            "fixed_on": "2026-09-10", "cause": "03", "expected_loss": "50,000.00", "history": "内乱により船積不能",
            "recovery": "見込みなし", "storage": "横浜の倉庫で保管", "dispute": "無",
        } | content,
    }  # fmt: skip


def with_pre_cover(app, key) -> None:
    change_policy(app, key, cover_pre=True, value_pre=10_000_000)


def status_of(app, number) -> str:
    return read(app, Application, number=number).status


def test_the_menu_entry_opens_the_procedure(portal):
    portal.login("demo-user")
    assert "損失等発生通知" in portal.go(ENDPOINT).h1


def test_only_own_policies_in_force_part_settled_or_loss_are_offered(app, portal, key):
    (mine, user), (other, other_user) = own_and_other(app)
    theirs = covered_policy_of(app, other, other_user, SCHEDULE)
    settled = covered_policy_of(app, mine, user, SCHEDULE)
    change_policy(app, settled, state=PolicyState.SETTLED)
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, {"target": {}})
    assert [o["value"] for o in page.select("#policy_number option") if o["value"]] == [key]
    for refused in (theirs, settled):
        page = walk(portal, ENDPOINT, post(refused))
        assert page.field_error("policy_number") == "証券番号・枝番を一覧から選択してください"


def test_a_post_shipment_notice_names_an_unsettled_instalment_and_its_unpaid_amount(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, post(key, instalment=""))
    assert page.field_error("instalment") == "対象決済期限を選択してください"
    assert [o["value"] for o in page.select("#instalment option") if o["value"]] == ["1", "2", "3"]
    page = walk(portal, ENDPOINT, post(key, unpaid=""))
    assert page.field_error("unpaid") == "未回収額を入力してください"
    page = walk(portal, ENDPOINT, post(key, expected_loss="30,000.01"))
    assert page.field_error("expected_loss") == "損失見込額は対象決済期限の金額（USD 30,000.00）以下で入力してください"
    page = walk(portal, ENDPOINT, post(key, unpaid="30,000.01"))
    assert page.field_error("unpaid") == "未回収額は対象決済期限の未決済額（USD 30,000.00）以下で入力してください"
    assert page.one("#unpaid")["value"] == "30,000.01"


def test_pre_shipment_kinds_need_pre_shipment_cover_and_a_fixed_date_not_in_the_future(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, pre(key))
    assert page.field_error("kind") == "この保険には船積前の付保がないため、この通知区分は選択できません"
    with_pre_cover(app, key)
    page = walk(portal, ENDPOINT, pre(key, fixed_on=""))
    assert page.field_error("fixed_on") == "事故確定日を入力してください"
    page = walk(portal, ENDPOINT, pre(key, fixed_on="2026-09-16"))
    assert page.field_error("fixed_on") == "事故確定日は本日以前の日付を入力してください"
    page = walk(portal, ENDPOINT, pre(key, storage=""))
    assert page.field_error("storage") == "貨物の保管状況を入力してください"
    page = walk(portal, ENDPOINT, pre(key, expected_loss="100,000.01"))
    assert page.field_error("expected_loss") == "損失見込額は保険価額（USD 100,000.00）以下で入力してください"
    assert walk(portal, ENDPOINT, pre(key, EXTRA, storage="")).h1.endswith("（申込内容確認）")  # 船積前 only


def test_cause_13_only_with_a_pre_shipment_notice_on_a_g_rated_payer(app, portal, key):
    with_pre_cover(app, key)
    portal.login("demo-user")
    message = "事故原因「13 契約相手方の一方的契約破棄」は、格付Gの支払人の船積前損失発生通知に限ります"
    assert walk(portal, ENDPOINT, post(key, cause="13")).field_error("cause") == message
    assert walk(portal, ENDPOINT, pre(key, cause="13")).field_error("cause") == message  # the payer is EA
    payer = policy_row(app, key).payer_id
    with app.app_context():
        from nexi.models import Buyer

        db.session().get(Buyer, payer).rating = "GA"
        db.session().commit()
    assert walk(portal, ENDPOINT, pre(key, cause="13")).h1.endswith("（申込内容確認）")


def test_the_dispute_detail_is_asked_when_there_is_one(portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, post(key, dispute="有"))
    assert page.field_error("dispute_detail") == "紛争の内容を入力してください"


def test_forty_five_days_after_the_due_date_the_notice_is_late(app, portal, key):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, post(key, instalment="1"))  # due 2026-08-01: the deadline was 09-15
    assert "通知期限" not in page.screen_text
    page = walk(portal, ENDPOINT, post(key, instalment="2"))
    assert "通知期限" not in page.screen_text
    app.config["NEXI_NOW"] = "2026-09-16T00:00:00"  # 46 days after 08-01
    page = walk(portal, ENDPOINT, post(key, instalment="1"))
    assert "通知期限（2026年9月15日）を過ぎています" in page.screen_text
    number = submit(portal, ENDPOINT, post(key, instalment="1"))
    assert read(app, Application, number=number).overdue


def test_a_pre_shipment_deadline_runs_from_the_fixed_date(app, portal, key):
    with_pre_cover(app, key)
    portal.login("demo-user")
    assert "通知期限" not in walk(portal, ENDPOINT, pre(key, fixed_on="2026-08-01")).screen_text  # last day 09-15
    page = walk(portal, ENDPOINT, pre(key, fixed_on="2026-07-31"))
    assert "通知期限（2026年9月14日）を過ぎています" in page.screen_text


def test_a_filed_notice_blocks_a_second_one_and_settlement_on_that_instalment_only(app, portal, key):
    portal.login("demo-user")
    submit(portal, ENDPOINT, post(key, instalment="1"))
    page = walk(portal, ENDPOINT, post(key, instalment="1"))
    assert page.field_error("instalment") == "対象決済期限を一覧から選択してください"
    assert [o["value"] for o in page.select("#instalment option") if o["value"]] == ["2", "3"]
    assert walk(portal, ENDPOINT, post(key, instalment="2")).h1.endswith("（申込内容確認）")
    page = walk(portal, "limits.settlement", {"policy": {"policy_number": key}, "settlement": {}})
    assert [o["value"] for o in page.select("#instalment option") if o["value"]] == ["2", "3"]
    with app.app_context():  # what IA2 asks (tests/http/insurance/test_ia2.py: no 変更 while it is true)
        assert policies.loss_notice_exists(policy_row(app, key).id)


def test_pre_shipment_and_extra_cost_notices_are_one_each_per_policy(app, portal, key):
    with_pre_cover(app, key)
    portal.login("demo-user")
    submit(portal, ENDPOINT, pre(key))
    page = walk(portal, ENDPOINT, pre(key))
    assert page.field_error("kind") == f"この保険には、すでに{PRE}があります"
    assert walk(portal, ENDPOINT, pre(key, EXTRA)).h1.endswith("（申込内容確認）")


def test_withdrawing_ends_the_notice(app, portal, key):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, post(key, instalment="1"))
    portal.go("status.withdraw", {"number": number, "confirmed": "yes"})
    assert status_of(app, number) == Status.WITHDRAWN
    with app.app_context():
        assert db.session().exec(select(LossNotice)).first() is None
    assert walk(portal, ENDPOINT, post(key, instalment="1")).h1.endswith("（申込内容確認）")  # open again


def test_acceptance_creates_the_loss_with_its_number_and_claim_dates(app, portal, staff, key):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, post(key, instalment="1", cause="12"))
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    page = decide(staff, number, "complete")
    assert "完了" in page.screen_text, page.screen_text
    with app.app_context():
        loss = db.session().exec(select(Loss)).one()
        assert loss.number == "A2026000001"
        assert (loss.due_on, loss.claim_from, loss.claim_until) == (
            date(2026, 8, 1),
            date(2026, 11, 1),
            date(2027, 5, 1),
        )
        assert loss.state == LossState.ACCEPTED  # 請求開始日 not yet reached
        assert (loss.expected_loss, loss.unpaid, loss.outstanding) == (3_000_000, 3_000_000, 3_000_000)
        assert db.session().exec(select(LossNotice)).one().instalment_id == loss.instalment_id
    assert policy_row(app, key).state == PolicyState.LOSS
    assert read(app, Application, number=number).result["事故番号"] == "A2026000001"
    search(portal, number=key)
    detail = portal.go("inquiry.policy", {"policy": key})  # 5-2 shows the 事故 of the policy
    shown = detail.text("section[aria-labelledby=policy-losses-title] tbody")
    assert shown == "A2026000001 船積後損失等発生通知 2026/08/01 30,000.00 2027/05/01 受理"


@pytest.mark.parametrize(
    ("cause", "start", "until"),
    [("11", date(2026, 8, 1), date(2027, 5, 1)), ("19", date(2026, 11, 1), date(2027, 5, 1)),
     ("03", date(2026, 11, 1), date(2027, 5, 1))],
)  # fmt: skip
def test_claim_dates_follow_the_cause(app, cause, start, until):
    from nexi import losses

    with app.app_context():
        dates = losses.claim_dates(POST, cause, date(2026, 8, 1), None)
        assert (dates.start, dates.until) == (start, until)
        app.config["NEXI_PRESHIPMENT_CLAIM_MONTHS"] = 6
        dates = losses.claim_dates(PRE, "03", None, date(2026, 8, 31))
        assert (dates.start, dates.until) == (date(2026, 8, 31), date(2027, 2, 28))  # C.5 month end


def test_of_two_notices_on_one_instalment_filed_at_once_only_the_first_is_filed(app, portal, other_portal, key):
    portal.login("demo-user")
    other_portal.login("demo-admin")  # the same customer's other user
    for each in (portal, other_portal):
        assert walk(each, ENDPOINT, post(key, instalment="1")).h1.endswith("（申込内容確認）")
    assert portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"}).h1.endswith("（申込完了）")
    page = other_portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    # 申込む validates every step again: the 決済期限 is no longer offered (the hook's lock backs it)
    assert page.field_error("instalment") == "対象決済期限を一覧から選択してください"
    with app.app_context():
        assert len(db.session().exec(select(LossNotice)).all()) == 1


def test_a_returned_notice_does_not_exist_until_it_is_filed_again(app, portal, staff, key):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, post(key, instalment="1"))
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    with app.app_context():
        assert policies.loss_notice_exists(policy_row(app, key).id)  # 審査中
    decide(staff, number, "return", comment="未回収額をご確認ください")
    assert status_of(app, number) == Status.RETURNED
    with app.app_context():
        assert not policies.loss_notice_exists(policy_row(app, key).id)


def test_the_copy_of_a_notice_shows_what_was_reported(portal, key):
    portal.login("demo-user")
    number = submit(portal, ENDPOINT, post(key, instalment="1"))
    copy = copy_of(portal, number)
    text = shown(copy)
    assert number in copy.select_one(".number").get_text()
    assert {"対象の保険と通知区分", "事故の内容"} <= {h.get_text(strip=True) for h in copy.select("h2, h3")}
    for answer in (
        key,
        POST,
        "対象決済期限 第1回 2026年8月1日",
        "12 3か月以上の履行遅滞",
        "30,000.00",
        "期日に支払がなく督促中",
    ):
        assert answer in text, (answer, text)
