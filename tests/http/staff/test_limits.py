"""S.6 個別保証枠 on the console: 個別保証枠の状況 (each buyer's 設定額, 使用額, 予約額 and 残高 as
nexi/limits.py counts them, searched and paged), a buyer's 確認 and the policies holding its 使用額
across customers, 予約の期限切れ処理 by hand (count, idempotent, audited); 管理担当 only, never a
customer — and no customer screen that names the buyer shows a buyer-wide amount (C.4.1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select

from nexi import db, limits
from nexi.clock import today
from nexi.models import AuditEvent, Buyer, Confirmation, ConfirmationState, Customer, WebUser
from tests.support import contracts
from tests.support.pages import normalize

X, Y = "304-000101", "105-000201"  # two buyers with a 個別保証枠 (EA after buyer_with_limit)


def buyer(code) -> Buyer:
    return db.session().exec(select(Buyer).where(Buyer.code == code)).one()


def customer_of(login_id) -> tuple[int, int]:
    user = db.session().exec(select(WebUser).where(WebUser.login_key == login_id)).one()
    return user.customer_id, user.id


def other_customer(login_id) -> tuple[int, int]:
    mine, _user = customer_of(login_id)
    return next(found for found in contracts.customers(5) if found[0] != mine)


@pytest.fixture
def book(app, empty_contract_book):
    """確認 of two customers on X (one earmarked and used, one used at an odd rate) and one on Y,
    in place of the demo contract book (the tests count every 確認 and amount of X and Y)."""
    with app.test_request_context():
        (a, a_user), (b, b_user) = customer_of("demo-user"), other_customer("demo-user")
        x = contracts.buyer_with_limit(300_000_000, X)
        y = contracts.buyer_with_limit(50_000_000, Y)
        first = contracts.confirmation(x, a, 10_000_000)  # USD 100,000.00 → ¥15,000,000
        contracts.earmarked(first, a, a_user, 2_000_000)
        contracts.used(first, a, a_user, 3_000_000, x)
        second = contracts.confirmation(x, b, 5_000_001, rate=Decimal("151.23"))
        contracts.used(second, b, b_user, 1_234_567, x)
        contracts.confirmation(y, b, 1_000_000)
        db.session().commit()
        return {"customers": (a, b), "confirmations": (first.number, second.number)}


def held(app, code) -> limits.Amounts:
    with app.app_context():
        return limits.amounts(buyer(code))


def buyer_id(app, code) -> int:
    with app.app_context():
        return buyer(code).id


def cells(row) -> list[str]:
    return [normalize(cell.get_text(" ")) for cell in row.select("th, td")]


def listed(page) -> dict[str, list[str]]:
    return {cells(row)[0]: cells(row) for row in page.select("table.table--limits tbody tr")}


def yen(amount: int) -> str:
    return f"{amount:,}"


def test_the_list_shows_each_buyer_s_amounts_as_the_accounting_counts_them(app, book, staff_both):
    staff_both.login("demo-manager")
    page = staff_both.go("staff.limits")
    assert page.h1 == "個別保証枠の状況"
    rows = listed(page)
    for code in (X, Y):
        amounts = held(app, code)
        assert rows[code][-4:] == [yen(amounts.limit), yen(amounts.used), yen(amounts.reserved), yen(amounts.balance)]
    x = held(app, X)
    assert x.used and x.reserved and x.balance == x.limit - x.used - x.reserved  # something of each kind
    assert "110-000701" not in rows  # an EC buyer has no 個別保証枠


def test_a_buyer_re_rated_without_a_limit_is_still_listed_with_what_it_holds(app, book, staff):
    with app.app_context():
        found = buyer(Y)
        found.rating, found.limit_amount = "GA", None
        db.session().commit()
    staff.login("demo-manager")
    row = listed(staff.go("staff.limits"))[Y]
    assert row[-4:] == ["未設定", "0", yen(held(app, Y).reserved), "—"]


def test_the_list_is_searched_by_code_name_or_country_and_bad_input_is_kept(book, staff):
    staff.login("demo-manager")
    staff.go("staff.limits")
    empty = {"code": "", "name": "", "country": ""}
    assert list(listed(staff.go("staff.limit_search", empty | {"code": Y}))) == [Y]
    assert X in listed(staff.go("staff.limit_search", empty | {"name": "acme"}))
    assert Y not in listed(staff.go("staff.limit_search", empty | {"country": "304"}))
    page = staff.go("staff.limit_search", empty | {"code": "12x"})
    assert page.field_error("code") and page.one("#code")["value"] == "12x"
    assert X in listed(page)  # the result of the last valid search stays


def test_the_list_is_paged_with_its_criteria_kept(app, book, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 1)
    staff.login("demo-manager")
    first = staff.go("staff.limits")
    assert len(listed(first)) == 1 and "1/" in first.text(".result-count")
    second = staff.go("staff.limit_list_page", {"page": "2"})
    assert list(listed(second)) != list(listed(first)) and "2/" in second.text(".result-count")
    assert staff.current().text(".result-count") == second.text(".result-count")  # a refresh: the same page


def detail(staff, app, code):
    staff.go("staff.limits")
    return staff.go("staff.limit", {"buyer": str(buyer_id(app, code))})


def test_the_detail_shows_the_amounts_every_customer_s_confirmations_and_the_policies(app, book, staff_both):
    staff_both.login("demo-manager")
    page = detail(staff_both, app, X)
    assert page.h1 == "個別保証枠の詳細"
    amounts = held(app, X)
    shown = page.texts("dl.limit-amounts dd")
    assert shown == [f"{yen(value)}円" for value in (amounts.limit, amounts.used, amounts.reserved, amounts.balance)]
    with app.app_context():
        stored = {c.number: c for c in db.session().exec(select(Confirmation)).all()}
    rows = {cells(row)[0]: cells(row) for row in page.select("table.table--limit-confirmations tbody tr")}
    first, second = book["confirmations"]
    assert sorted(rows) == sorted(book["confirmations"])  # both customers' 確認, not Y's
    kept = stored[first]
    assert rows[first][2:] == [
        "USD 100,000.00", "15,000,000", "USD 20,000.00", "USD 50,000.00", yen(kept.reserved_jpy),
        kept.valid_until.strftime("%Y/%m/%d"), "一部使用",
    ]  # fmt: skip
    assert rows[second][2:4] == ["USD 50,000.01", yen(limits.yen(5_000_001, 2, Decimal("151.23")))]
    policies = [cells(row) for row in page.select("table.table--limit-policies tbody tr")]
    assert sorted(row[2] for row in policies) == sorted(
        [yen(4_500_000), yen(limits.yen(1_234_567, 2, Decimal("151.23")))]
    )
    assert sorted(row[3] for row in policies) == ["USD 12,345.67", "USD 30,000.00"]
    assert {row[4] for row in policies} == {"有効"}
    with app.app_context():
        a, b = (db.session().get(Customer, customer) for customer in book["customers"])
    assert (rows[first][1], rows[second][1]) == (f"{a.code} {a.name_ja}", f"{b.code} {b.name_ja}")
    assert sorted(row[1] for row in policies) == sorted([f"{a.code} {a.name_ja}", f"{b.code} {b.name_ja}"])


def test_the_detail_pages_each_list_on_its_own(app, book, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 1)
    staff.login("demo-manager")
    page = detail(staff, app, X)
    numbers = page.texts("table.table--limit-confirmations tbody th")
    policy = page.texts("table.table--limit-policies tbody th")
    second = staff.go("staff.limit_confirmations_page", {"page": "2"})
    assert second.texts("table.table--limit-confirmations tbody th") != numbers
    assert second.texts("table.table--limit-policies tbody th") == policy  # the other list stays
    third = staff.go("staff.limit_policies_page", {"page": "2"})
    assert third.texts("table.table--limit-policies tbody th") != policy
    assert third.texts("table.table--limit-confirmations tbody th") == second.texts(
        "table.table--limit-confirmations tbody th"
    )


def test_the_detail_opens_from_the_buyer_detail_and_goes_back_to_it(app, book, staff):
    staff.login("demo-manager")
    staff.go("staff.buyers")
    page = staff.go("staff.buyer", {"buyer": str(buyer_id(app, X))})
    assert "個別保証枠の詳細（確認・使用）" in page.button_names()
    page = staff.go("staff.limit", {"buyer": str(buyer_id(app, X))})
    assert page.h1 == "個別保証枠の詳細"
    assert staff.go("staff.limit_back").h1 == "バイヤー詳細"


def test_the_detail_goes_back_to_the_list_as_it_was(app, book, staff):
    staff.login("demo-manager")
    staff.go("staff.limits")
    staff.go("staff.limit_search", {"code": Y, "name": "", "country": ""})
    staff.go("staff.limit", {"buyer": str(buyer_id(app, Y))})
    page = staff.go("staff.limit_back")
    assert page.h1 == "個別保証枠の状況" and list(listed(page)) == [Y]


def test_an_unknown_buyer_is_refused_with_a_message(book, staff):
    staff.login("demo-manager")
    staff.go("staff.limits")
    page = staff.go("staff.limit", {"buyer": "999999"})
    assert page.h1 == "個別保証枠の状況" and "見つかりません" in " ".join(page.messages)


# --- 予約の期限切れ処理 -----------------------------------------------------------------------------


def expired_one(app) -> str:
    """A 確認 approved four months ago (past its 有効期限) next to the book's valid ones."""
    with app.test_request_context():
        customer, _user = customer_of("demo-user")
        found = contracts.confirmation(buyer(X), customer, 1_000_000, approved_on=today() - timedelta(days=120))
        db.session().commit()
        return found.number


def audits(app) -> list[dict]:
    with app.app_context():
        found = db.session().exec(
            select(AuditEvent).where(AuditEvent.kind == "staff.limits.expired").order_by(col(AuditEvent.id))
        )
        return [event.detail for event in found.all()]


def test_the_expiry_confirms_then_expires_the_confirmations_past_their_date_once(app, book, staff_both):
    number = expired_one(app)
    before = held(app, X).reserved
    staff_both.login("demo-manager")
    staff_both.go("staff.limits")
    page = staff_both.go("staff.limit_expire")
    assert page.h1 == "予約の期限切れ処理（確認）" and "確認 1件を期限切れにします" in page.screen_text
    assert not page.select("[onclick], [hx-confirm], [data-hx-confirm]")  # a server-rendered confirmation
    page = staff_both.go("staff.limit_expire_run", {"action": "apply"})
    assert page.h1 == "個別保証枠の状況"
    assert any("1件の確認を期限切れにしました" in message for message in page.messages)
    with app.app_context():
        found = db.session().exec(select(Confirmation).where(Confirmation.number == number)).one()
        assert (found.state, found.reserved_jpy) == (ConfirmationState.EXPIRED, 0)
        others = db.session().exec(select(Confirmation.state).where(Confirmation.number.in_(book["confirmations"])))
        assert ConfirmationState.EXPIRED not in others.all()
    assert held(app, X).reserved == before - 1_500_000  # its ¥1,500,000 went back to the 残高
    page = staff_both.go("staff.limit_expire")
    assert "有効期限を過ぎた確認はありません" in page.screen_text
    page = staff_both.go("staff.limit_expire_run", {"action": "apply"})
    assert any("期限切れにする確認はありませんでした" in message for message in page.messages)
    assert [detail["after"] for detail in audits(app)] == [{"count": 1}, {"count": 0}]


def test_back_from_the_expiry_changes_nothing(app, book, staff):
    expired_one(app)
    staff.login("demo-manager")
    staff.go("staff.limit_expire")
    assert staff.go("staff.limit_expire_run", {"action": "back"}).h1 == "個別保証枠の状況"
    assert audits(app) == []
    with app.app_context():
        assert ConfirmationState.EXPIRED not in db.session().exec(select(Confirmation.state)).all()


def test_the_run_is_refused_unless_its_confirmation_is_the_screen_shown(app, book, staff):
    expired_one(app)
    staff.login("demo-manager")
    staff.go("staff.limits")
    assert staff.go("staff.limit_expire_run", {"action": "apply"}).h1 == "個別保証枠の状況"
    assert audits(app) == []


# --- who may see them -----------------------------------------------------------------------------

ACTIONS = [
    "staff.limits", "staff.limit_search", "staff.limit_list_page", "staff.limit", "staff.limit_confirmations_page",
    "staff.limit_policies_page", "staff.limit_back", "staff.limit_expire", "staff.limit_expire_run",
]  # fmt: skip


def test_the_manager_s_menu_offers_them_and_the_reviewer_s_does_not(staff, other_staff):
    menu = staff.login("demo-manager")
    assert {"個別保証枠の状況", "予約の期限切れ処理"} <= set(menu.button_names())
    assert not {"個別保証枠の状況", "予約の期限切れ処理"} & set(other_staff.login("demo-reviewer").button_names())


def test_a_reviewer_is_refused_every_action_and_screen(app, book, staff):
    expired_one(app)
    staff.login("demo-reviewer")
    for endpoint in ACTIONS:
        page = staff.go(endpoint, {"action": "apply", "buyer": str(buyer_id(app, X))})
        assert page.h1 == "職員コンソール" and any("管理担当のみ" in m for m in page.messages), endpoint
    page = staff.show("staff.limit", {"buyer_id": buyer_id(app, X)})
    assert page.h1 == "職員コンソール"  # the screen checks the role too
    assert audits(app) == []


def test_a_customer_reaches_none_of_them(app, book, portal):
    portal.login("demo-admin")
    assert portal.get(portal.url("staff.current")).h1 == "職員ログイン"  # its CSRF token
    for endpoint in ACTIONS:
        assert portal.go(endpoint, {"action": "apply"}).h1 == "職員ログイン", endpoint
    assert audits(app) == []


# --- never on a customer screen (C.4.1) -----------------------------------------------------------


def buyer_wide(app, code) -> list[str]:
    """Every buyer-wide figure of the buyer, as a screen or a CSV could write it."""
    amounts = held(app, code)
    figures = {amounts.limit, amounts.used, amounts.reserved, amounts.balance, amounts.used + amounts.reserved}
    return [text for amount in figures if amount for text in (str(amount), f"{amount:,}")]


def test_no_customer_screen_naming_the_buyer_shows_a_buyer_wide_amount(app, book, portal, staff):
    from tests.http.limits.test_l01 import ENDPOINT, request
    from tests.http.staff.test_review import decide
    from tests.support.procedures import submit

    portal.login("demo-user")
    number = submit(portal, ENDPOINT, request())  # an L01 on X, beside the book's 確認 of two customers
    staff.login("demo-reviewer")
    decide(staff, number, "accept")
    decide(staff, number, "complete", confirmed_amount="80,000.00")
    hidden = buyer_wide(app, X)
    portal.login("demo-user")
    status = portal.go("status.detail", {"number": number})
    assert "USD 80,000.00" in status.screen_text  # its own 確認 is shown
    assert [text for text in hidden if text in status.html] == []
    portal.go("inquiry.index")
    portal.go("inquiry.buyers")
    portal.go("inquiry.buyer_search", {"code": X, "name": "", "country": ""})
    inquiry = portal.go("inquiry.buyer", {"buyer": X})
    assert "枠あり" in inquiry.screen_text
    assert [text for text in hidden if text in inquiry.html] == []
