"""5-4 事故 (DOMAIN.md §5, 5-4, 11): the customer's own 事故 only — another customer's is never shown,
not even by its exact 事故番号, in the list, the detail or the CSV; every 事故 at first, the criteria
(事故番号, 証券番号, 状況) optional; more than 200 → the first 200 by 事故番号 descending with
「条件を絞り込んでください」; the columns in the policy currency (未回収残額 = basis − 元本 入金累計,
「全額回収」 at 0, 「猶予あり」 once 猶予 was approved, 期限超過); a detail with 入金累計 of 利息 etc. and
the whole 猶予 history; the CSV of the rows shown; a refresh shows the same result."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from nexi import db, losses
from nexi.models import Application, Loss, NoticeKind, Policy, Status
from tests.html.test_validity import run_vnu
from tests.http.inquiry.helpers import download
from tests.support import contracts
from tests.support.losses import accepted_loss
from tests.support.pages import normalize

EMPTY = {"number": "", "policy": "", "state": ""}
BUYER = "304-990011"  # a buyer of these tests alone


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-09-15T10:00:00")


def made(app, make):
    with app.test_request_context():
        result = make()
        db.session().commit()
        return result


def key_of(loss) -> str:
    policy = db.session().get(Policy, loss.policy_id)
    return f"{policy.number}-{policy.branch}"


@pytest.fixture
def book(app) -> dict:
    """The demo customer's three 事故 and the other customer's one.

    waiting: 船積後, cause 12, USD 100,000.00, 受理 (請求開始日 2026-11-29 not reached);
    open: 船積後, cause 11 (請求可能 at once), 元本 USD 40,000.00 and 利息 USD 500.00 received, 猶予
    approved once (2027-05-29 → 2027-08-31), its A01 期限超過;
    recovered: 船積前 fixed 2026-09-01, 損失見込額 USD 30,000.00 all received (全額回収)."""

    contracts.without_demo_book(app)  # the demo's 事故 left out

    def make():
        (mine, user), (other, other_user) = contracts.customers(2)
        buyer = contracts.registered_buyer(BUYER, "304", "EA", name="KAPPA TRADING LTD")
        waiting = accepted_loss(mine, user, buyer)
        opened = accepted_loss(mine, user, buyer, cause="11")
        losses.receive(opened, 4_000_000, principal=True)
        losses.receive(opened, 50_000, principal=False)
        losses.extend(opened, date(2027, 8, 31), "W20260901000123")
        opened.late = True
        recovered = accepted_loss(
            mine, user, buyer, kind=NoticeKind.PRE, fixed_on=date(2026, 9, 1), expected_loss=3_000_000
        )
        losses.receive(recovered, 3_000_000, principal=True)
        theirs = accepted_loss(other, other_user, buyer)
        db.session().flush()
        return {
            name: {"number": loss.number, "policy": key_of(loss)}
            for name, loss in (("waiting", waiting), ("open", opened), ("recovered", recovered), ("theirs", theirs))
        }

    return made(app, make)


def open_list(portal):
    portal.go("inquiry.index")
    return portal.go("inquiry.losses")


def search(portal, **criteria):
    open_list(portal)
    return portal.go("inquiry.loss_search", EMPTY | criteria)


def numbers(page) -> list[str]:
    return [button["value"] for button in page.select("table.table--inquiry-losses tbody button[name=loss]")]


def cells(page, number) -> list[str]:
    row = page.one(f"table.table--inquiry-losses button[value='{number}']").find_parent("tr")
    return [normalize(cell.get_text(" ")) for cell in row.select("th, td")]


def mine(book) -> list[str]:
    return sorted((book[name]["number"] for name in ("waiting", "open", "recovered")), reverse=True)


# --- the list and its criteria --------------------------------------------------------------------


def test_the_inquiry_opens_from_the_list_of_inquiries_with_every_own_loss_newest_first(both, book):
    both.login("demo-user")
    page = both.go("inquiry.index")
    assert page.one(".inquiry-list button[formaction$='/inquiry/losses']")
    page = both.go("inquiry.losses")
    assert page.h1 == "事故"
    assert normalize(page.text("#loss-result-title")) == "すべての事故"
    assert numbers(page) == mine(book)
    assert "3件（事故番号の降順）" in page.text(".result-count")


def test_another_customer_s_loss_is_never_shown_even_by_its_exact_number(portal, book):
    portal.login("demo-admin")
    assert book["theirs"]["number"] not in numbers(open_list(portal))
    page = search(portal, number=book["theirs"]["number"])
    assert numbers(page) == [] and "条件に合う事故はありません。" in page.screen_text
    assert numbers(search(portal, policy=book["theirs"]["policy"])) == []
    open_list(portal)
    _response, rows = download(portal, "inquiry.loss_csv")
    assert all(book["theirs"]["number"] not in row for row in rows)
    # its number posted as a row of the list: refused as not found, the list shown again
    page = portal.go("inquiry.loss", {"loss": book["theirs"]["number"]})
    assert page.h1 == "事故" and "指定された事故は見つかりません。" in " ".join(page.messages)
    assert book["theirs"]["number"] not in page.html
    unknown = portal.go("inquiry.loss", {"loss": "A2099999999"})  # reads exactly like a number of no 事故
    assert unknown.messages == page.messages and numbers(unknown) == numbers(page)


def test_the_other_customer_sees_its_own_and_not_ours(portal, book):
    portal.login("other-admin")
    assert numbers(open_list(portal)) == [book["theirs"]["number"]]
    assert numbers(search(portal, number=book["open"]["number"])) == []


def test_each_criterion_finds_what_it_names(portal, book):
    portal.login("demo-user")
    opened = book["open"]
    assert numbers(search(portal, number=opened["number"])) == [opened["number"]]
    assert numbers(search(portal, number=opened["number"].lower())) == [opened["number"]]
    number, _branch = opened["policy"].split("-")
    assert numbers(search(portal, policy=number)) == [opened["number"]]
    assert numbers(search(portal, policy=opened["policy"])) == [opened["number"]]
    assert numbers(search(portal, policy=f"{number}-01")) == []
    assert numbers(search(portal, state="受理")) == [book["waiting"]["number"]]
    assert numbers(search(portal, state="請求可能")) == sorted(
        [opened["number"], book["recovered"]["number"]], reverse=True
    )
    assert numbers(search(portal, state="支払済")) == []
    assert numbers(search(portal, number=opened["number"], state="受理")) == []
    page = search(portal, state="受理")
    assert normalize(page.text("#loss-result-title")) == "検索結果"


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"number": "B2026000001"}, "number", "事故番号は「A2026000045」の形式（Aと10桁の数字）で入力してください"),
        ({"number": "A20260001"}, "number", "事故番号は「A2026000045」の形式（Aと10桁の数字）で入力してください"),
        ({"policy": "0120260000012"}, "policy", "証券番号は14桁の数字（枝番付きは「01202600000123-00」の形式）で入力してください"),
        ({"state": "解約"}, "state", None),
    ],
)  # fmt: skip
def test_bad_criteria_are_refused_next_to_the_field_with_what_was_typed_kept(portal, book, typed, field, message):
    portal.login("demo-user")
    page = search(portal, **typed)
    assert page.field_error(field)
    if message:
        assert page.field_error(field) == message
        assert page.one(f"#{field}")["value"] == typed[field]
    # the result stays the one shown before (every own 事故)
    assert numbers(page) == mine(book)


def test_the_columns_of_a_row_in_the_policy_currency(portal, book):
    portal.login("demo-user")
    page = open_list(portal)
    assert [normalize(th.get_text()) for th in page.select("table.table--inquiry-losses thead th")] == [
        "事故番号", "証券番号", "通知区分", "事故確定日 / 決済期限", "損失見込額", "入金累計", "未回収残額",
        "請求開始日", "請求期限", "状況", "期限超過",
    ]  # fmt: skip
    assert cells(page, book["waiting"]["number"]) == [
        book["waiting"]["number"], book["waiting"]["policy"], "船積後損失等発生通知", "決済期限 2026/08/29",
        "USD 100,000.00", "USD 0.00", "USD 100,000.00", "2026/11/29", "2027/05/29", "受理", "",
    ]  # fmt: skip
    # 元本 lowers the 未回収残額, 利息 does not; the 請求期限 after the 猶予, marked
    assert cells(page, book["open"]["number"]) == [
        book["open"]["number"], book["open"]["policy"], "船積後損失等発生通知", "決済期限 2026/08/29",
        "USD 100,000.00", "USD 40,000.00", "USD 60,000.00", "2026/08/29", "2027/08/31 猶予あり", "請求可能",
        "期限超過",
    ]  # fmt: skip
    # 船積前: from its 事故確定日, the 損失見込額 the basis; 0 left → 全額回収
    assert cells(page, book["recovered"]["number"]) == [
        book["recovered"]["number"], book["recovered"]["policy"], "船積前損失発生通知", "事故確定日 2026/09/01",
        "USD 30,000.00", "USD 30,000.00", "USD 0.00 全額回収", "2026/09/01", "2027/06/01", "請求可能", "",
    ]  # fmt: skip
    assert len(page.select("table.table--inquiry-losses .tag--recovered")) == 1
    assert len(page.select("table.table--inquiry-losses .tag--extended")) == 1


def test_more_than_200_show_the_first_200_by_number_descending_with_the_notice(app, portal):
    contracts.without_demo_book(app)

    def make():
        (customer, user), _other = contracts.customers(2)
        buyer = contracts.registered_buyer(BUYER, "304", "EA", name="KAPPA TRADING LTD")
        template = accepted_loss(customer, user, buyer)
        moment = datetime(2026, 9, 1, tzinfo=UTC)
        db.session().execute(
            Application.__table__.insert(),
            [{"number": f"W20260901{800000 + n:06d}", "customer_id": customer, "user_id": user, "procedure": "A01",
              "status": Status.COMPLETED, "data": {}, "created_at": moment, "saved_at": moment, "listed_at": moment,
              "updated_at": moment} for n in range(200)],
        )  # fmt: skip
        ids = (
            db.session()
            .scalars(
                select(Application.id).where(Application.number.startswith("W20260901")).order_by(Application.number)
            )
            .all()
        )
        values = {column: getattr(template, column) for column in Loss.__table__.columns.keys() if column != "id"}
        db.session().execute(
            Loss.__table__.insert(),
            [values | {"number": f"A2026{900000 + n:06d}", "application_id": ids[n]} for n in range(200)],
        )

    made(app, make)
    portal.login("demo-user")
    page = open_list(portal)
    shown = numbers(page)
    assert len(shown) == 200 and shown == sorted(shown, reverse=True)
    assert shown[0] == "A2026900199" and shown[-1] == "A2026900000"  # the first 事故 is the 201st
    assert normalize(page.text(".inquiry-capped .panel__lead")) == "条件を絞り込んでください"
    assert "200件以上" in page.text(".result-count")
    _response, rows = download(portal, "inquiry.loss_csv")
    assert [row[0] for row in rows[1:]] == shown
    assert not search(portal, number="A2026900199").select(".inquiry-capped")


# --- the detail -----------------------------------------------------------------------------------


def test_the_detail_shows_the_amounts_received_and_the_whole_extension_history(both, book):
    both.login("demo-user")
    open_list(both)
    page = both.go("inquiry.loss", {"loss": book["open"]["number"]})
    assert page.h1 == "事故（詳細）"
    text = page.screen_text
    for expected in (
        f"事故番号 {book['open']['number']}", f"証券番号 {book['open']['policy']}", "支払人 304-990011 KAPPA TRADING LTD",
        "通知区分 船積後損失等発生通知", "事故原因 11 破産手続開始等", "決済期限 2026年08月29日", "受理日 2026年09月15日",
        "期限超過 あり", "損失見込額 USD 100,000.00", "未回収額 USD 100,000.00",
        "入金累計（元本） USD 40,000.00", "入金累計（利息・遅延損害金・その他） USD 500.00", "未回収残額 USD 60,000.00",
        "請求開始日 2026年08月29日", "請求期限 2027年08月31日 猶予あり", "状況 請求可能",
    ):  # fmt: skip
        assert expected in text, expected
    history = [normalize(tr.get_text(" ")) for tr in page.select("table.table--loss-extensions tbody tr")]
    assert history == ["1 2027/05/29 2027/08/31 W20260901000123 2026/09/15"]
    assert "請求日" not in text and "支払日" not in text


def test_a_recovered_loss_is_marked_and_one_without_extensions_says_so(portal, book):
    portal.login("demo-user")
    open_list(portal)
    page = portal.go("inquiry.loss", {"loss": book["recovered"]["number"]})
    assert "状況 請求可能 全額回収" in page.screen_text and "事故確定日 2026年09月01日" in page.screen_text
    assert "未回収額" not in page.screen_text  # 船積前: the 損失見込額 is the basis
    assert not page.select("table.table--loss-extensions") and "猶予の履歴はありません。" in page.screen_text


def test_the_detail_leads_back_to_the_same_result_and_survives_a_refresh(portal, book):
    portal.login("demo-user")
    listed = numbers(search(portal, state="請求可能"))
    portal.go("inquiry.loss", {"loss": listed[0]})
    assert portal.get("/").h1 == "事故（詳細）"
    page = portal.go("inquiry.loss_back")
    assert page.h1 == "事故" and numbers(page) == listed
    assert page.one("#state option[selected]")["value"] == "請求可能"


def test_a_refresh_shows_the_same_result(portal, book):
    portal.login("demo-user")
    listed = numbers(search(portal, state="受理"))
    page = portal.get("/")
    assert page.h1 == "事故" and numbers(page) == listed == [book["waiting"]["number"]]


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_holds_the_rows_shown_with_a_bom_and_keeps_the_screen(portal, book):
    portal.login("demo-user")
    shown = numbers(search(portal, state="請求可能"))
    token = portal.server_token()
    response, rows = download(portal, "inquiry.loss_csv")
    assert response.get_data().startswith("\ufeff".encode()) and response.mimetype == "text/csv"
    assert rows[0] == [
        "事故番号", "証券番号-枝番", "通知区分", "事故確定日／決済期限", "通貨", "損失見込額", "入金累計", "未回収残額",
        "全額回収", "請求開始日", "請求期限", "猶予", "状況", "期限超過",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == shown
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[book["open"]["number"]][1:] == [
        book["open"]["policy"], "船積後損失等発生通知", "2026-08-29", "USD", "100,000.00", "40,000.00", "60,000.00",
        "", "2026-08-29", "2027-08-31", "猶予あり", "請求可能", "期限超過",
    ]  # fmt: skip
    assert by_number[book["recovered"]["number"]][7:9] == ["0.00", "全額回収"]
    assert portal.server_token() == token and portal.state()["screen"] == "inquiry.losses"


def test_every_screen_is_valid_html(portal, book, tmp_path):
    portal.login("demo-admin")
    pages = {"all": open_list(portal)}
    pages["refused"] = portal.go("inquiry.loss_search", EMPTY | {"number": "x"})
    pages["none"] = search(portal, number="A2099999999")
    pages["found"] = search(portal, state="請求可能")
    pages["detail"] = portal.go("inquiry.loss", {"loss": book["open"]["number"]})
    for name, page in pages.items():
        (Path(tmp_path) / f"{name}.html").write_text(page.html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    assert not errors, [(Path(e["url"]).name, e.get("lastLine"), e["message"]) for e in errors][:40]
