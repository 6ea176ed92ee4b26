"""ID1 企業総合保険 申込 (DOMAIN.md 9-1, 9-2 企業総合, 9-3, 9-4 企業総合 (ID), §8, S.3, C.7): the 9-1
steps of IA1 for 保険種別 04 with the 特約番号, the 船後 信用危険付保率 decided by the 支払人's
企総登録 under the 特約 (never consumed), the 申込期限 at the end of the month after the contract
month, and NEXI's 完了 creating a 04 policy of the 特約, liable from the 契約締結日 (or the
application day when late)."""

import calendar
from datetime import date

import pytest
from sqlmodel import select

from nexi import db
from nexi.clock import now, today
from nexi.models import Buyer, Customer, Rider, RiderBuyer, RiderState, Status
from nexi.models.registration import RegistrationState
from nexi.registrations import HOLDS_RIDER, REASONS
from tests.http.insurance.helpers import CONFIRM, earmarks, ia1, made, policies, record
from tests.http.staff.test_review import decide, open_review
from tests.support.procedures import start, submit, walk

pytestmark = pytest.mark.usefixtures("empty_contract_book")

ENDPOINT = "insurance.comprehensive"
YEAR = today().year  # the demo 特約 runs over the year the database was seeded in
RIDER = f"T{YEAR}00001"
COUNTRY = {"304-000102": "304", "105-000201": "105", "111-000301": "111", "213-000401": "213", "110-000701": "110"}


def id1(payer="304-000102", contract=None, money=None, cover=None, *, schedule=None) -> dict:
    """Valid ID1 answers: IA1's deal under the demo 特約 to `payer` (its own country), 97.5/90."""
    parties = {"rider_number": RIDER, "counterparty_code": payer, "destination": COUNTRY.get(payer, "304")}
    return ia1(parties | (contract or {}), money, {"post_commercial": "90"} | (cover or {}), schedule=schedule)


def step(portal, answers: dict, key: str):
    """Walk to step `key` with the steps before it answered."""
    page = start(portal, ENDPOINT)
    for name, values in answers.items():
        if name == key:
            return page
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
    return page


def offered(page, name="post_commercial") -> list[str]:
    return [option["value"] for option in page.select(f"#{name} option") if option["value"]]


def dated(year: int, contracted: str, **contract) -> dict:
    """Answers whose dates are fixed (for a fixed business clock): shipped in March, paid in summer."""
    money = {"first_shipment_on": f"{year}-03-20", "last_shipment_on": f"{year}-03-30"}
    schedule = [(f"{year}-06-01", "50,000.00"), (f"{year}-07-01", "50,000.00")]
    return id1(contract={"contracted_on": contracted, **contract}, money=money, schedule=schedule)


def _customer_id(code: str) -> int:
    return db.session().exec(select(Customer.id).where(Customer.code == code)).one()


def _rider(app, customer_code: str, number: str, starts_on: date, ends_on: date, state=RiderState.IN_FORCE):
    def make():
        moment = now()
        rider = Rider(number=number, customer_id=_customer_id(customer_code), starts_on=starts_on, ends_on=ends_on,
                      state=state, created_at=moment, updated_at=moment)  # fmt: skip
        db.session().add(rider)

    made(app, make)


def _remove_registration(app, payer: str) -> None:
    def change():
        buyer_id = db.session().exec(select(Buyer.id).where(Buyer.code == payer)).one()
        registration = db.session().exec(select(RiderBuyer).where(RiderBuyer.buyer_id == buyer_id)).one()
        registration.state = RegistrationState.REMOVED

    made(app, change)


def _complete(staff, web: str, **result):
    """NEXI 受付 and 完了 with the proposed 保険料 and 保険責任開始日 (or `result`): the proposal."""
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    version = open_review(staff, web).one("input[name=version]")["value"]
    page = staff.go("staff.decide", {"decision": "complete", "version": version})
    proposal = {"premium": page.one("#premium")["value"], "liability_from": page.one("#liability_from")["value"]}
    page = staff.go("staff.decide_submit", {"action": "submit", **(proposal | result)})
    return proposal, page


# --- 特約番号 (9-4 ID), who may use it (C.7) ------------------------------------------------------


def test_the_rider_is_one_of_the_customers_in_force(portal):
    portal.login("demo-user")
    page = start(portal, ENDPOINT)
    labels = [option.get_text() for option in page.select("#rider_number option") if option["value"]]
    assert labels == [f"{RIDER}（特約期間 {YEAR}年1月1日～{YEAR}年12月31日）"]
    assert page.one("#rider_number option[selected]")["value"] == RIDER  # the only one: prefilled
    page = walk(portal, ENDPOINT, id1(contract={"rider_number": ""}))
    assert "特約番号を選択してください" in page.field_error("rider_number")


def test_another_customers_or_an_expired_rider_is_refused(app, portal):
    _rider(app, "987654321", f"T{YEAR}00002", date(YEAR, 1, 1), date(YEAR, 12, 31))  # 東和's
    _rider(app, "123456789", f"T{YEAR - 1}00001", date(YEAR - 1, 1, 1), date(YEAR - 1, 12, 31), RiderState.EXPIRED)
    portal.login("demo-user")
    for number in (f"T{YEAR}00002", f"T{YEAR - 1}00001"):
        page = walk(portal, ENDPOINT, id1(contract={"rider_number": number}))
        assert "貴社の有効な企業総合保険特約から選択してください" in page.field_error("rider_number"), number


def test_a_customer_without_a_rider_cannot_start_it_and_sees_why(portal):
    portal.login("other-admin")  # 東和トレーディング holds no 特約
    page = portal.go(ENDPOINT)
    assert "契約・当事者" not in page.text("main")
    assert any(REASONS[HOLDS_RIDER] in message for message in page.messages), page.messages
    home = portal.go("home.home")
    entry = next(item for item in home.select("li") if "企業総合保険 申込" in item.get_text())
    assert entry.select("a") == [] and REASONS[HOLDS_RIDER] in entry.get_text()


# --- 船後 信用危険付保率 (9-2 企業総合, 9-3) ------------------------------------------------------


@pytest.mark.parametrize(
    ("payer", "rates"),
    [
        ("304-000102", ["90", "0"]),  # EE, 企総登録 with a 支払限度額
        ("105-000201", ["50", "0"]),  # EM, registered without a limit
        ("111-000301", ["0"]),  # EA, registered without a limit
        ("213-000401", ["0"]),  # EE, not registered under the 特約
        ("110-000701", ["0"]),  # EC: credit 不可
    ],
)
def test_the_payers_registration_decides_the_credit_cover(portal, payer, rates):
    portal.login("demo-user")
    page = step(portal, id1(payer), "cover")
    assert offered(page) == rates
    if rates == ["0"]:
        assert page.one("#post_commercial option[selected]")["value"] == "0"  # forced, shown as chosen
    assert page.select("[name=confirmation_number]") == []  # the limit is not a balance: nothing to quote


def test_an_lc_of_an_sa_bank_allows_90_without_a_registration(portal):
    portal.login("demo-user")
    money = {"settlement_method": "L/C一覧払", "lc_bank_code": "205-000501"}
    answers = id1("213-000401", money=money)
    assert offered(step(portal, answers, "cover")) == ["90", "0"]
    page = walk(portal, ENDPOINT, answers)
    assert page.h1.endswith(CONFIRM), page.error_summary


def test_a_rate_the_registration_does_not_allow_is_refused(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, id1("111-000301"))
    assert page.field_error("post_commercial")
    page = walk(portal, ENDPOINT, id1("105-000201", cover={"post_commercial": "90"}))
    assert page.field_error("post_commercial")


def test_50_percent_is_informed_of_the_claims_cap(portal):
    portal.login("demo-user")
    page = walk(portal, ENDPOINT, id1("105-000201", cover={"post_commercial": "50"}))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "10億円" in page.text("main") and "50%" in page.text("main")


def test_a_registration_removed_before_submitting_is_an_error_at_confirm(app, portal):
    portal.login("demo-user")
    confirm = walk(portal, ENDPOINT, id1())
    assert confirm.h1.endswith(CONFIRM)
    _remove_registration(app, "304-000102")  # staff end the 企総登録 while the customer looks at 確認
    page = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert not page.h1.endswith("（申込完了）") and page.field_error("post_commercial")
    assert offered(page) == ["0"]  # back on 付保・確認, where 0 is all that is left
    assert record(app, confirm.text(".panel .number")).status == Status.DRAFT


def test_the_limit_is_never_consumed(app, portal):
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, id1())
    assert earmarks(app) == [] and record(app, web).status == Status.SUBMITTED


# --- 申込期限 and 保険責任開始 (9-4 ID), 完了 (S.3) ---------------------------------------------


def test_the_deadline_is_the_end_of_the_month_after_the_contract_month(app, portal, monkeypatch):
    end_of_february = calendar.monthrange(YEAR, 2)[1]
    portal.login("demo-user")
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{YEAR}-02-{end_of_february}T10:00:00")
    page = walk(portal, ENDPOINT, dated(YEAR, f"{YEAR}-01-31"))
    assert page.h1.endswith(CONFIRM), page.error_summary
    assert "申込期限" not in page.text("main")
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{YEAR}-03-01T10:00:00")
    page = walk(portal, ENDPOINT, dated(YEAR, f"{YEAR}-01-31"))
    assert f"{YEAR}年2月{end_of_february}日" in page.text("main") and "期限超過" in page.text("main")
    page = walk(portal, ENDPOINT, dated(YEAR, f"{YEAR}-01-31", effective_on=f"{YEAR}-02-10"))  # 発効 month
    assert page.h1.endswith(CONFIRM) and "期限超過" not in page.text("main")


def test_an_application_in_time_is_liable_from_the_contract_day(app, portal, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{YEAR}-02-20T10:00:00")
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, dated(YEAR, f"{YEAR}-01-31"))
    assert not record(app, web).overdue
    proposal, page = _complete(staff, web)
    assert proposal["liability_from"] == f"{YEAR}-01-31"
    application = record(app, web)
    assert application.status == Status.COMPLETED, page.messages + page.error_summary
    assert application.result["特約番号"] == RIDER
    (policy,) = policies(app)
    assert policy.product == "04" and policy.number.startswith(f"04{YEAR}")
    assert policy.liability_from == date(YEAR, 1, 31) and str(policy.post_commercial) == "90"
    with app.app_context():
        assert policy.rider_id == db.session().exec(select(Rider.id).where(Rider.number == RIDER)).one()
    assert earmarks(app) == []


def test_a_late_application_is_liable_from_the_application_day(app, portal, staff, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", f"{YEAR}-03-02T10:00:00")
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, dated(YEAR, f"{YEAR}-01-31"))
    assert record(app, web).overdue  # 期限超過
    proposal, _ = _complete(staff, web)
    assert proposal["liability_from"] == f"{YEAR}-03-02"
    (policy,) = policies(app)
    assert policy.liability_from == date(YEAR, 3, 2)


def test_completion_is_refused_when_the_rate_is_no_longer_allowed(app, portal, staff):
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, id1())
    _remove_registration(app, "304-000102")
    _, page = _complete(staff, web)
    assert record(app, web).status != Status.COMPLETED and policies(app) == []
    assert any("付保率" in message for message in page.messages + page.error_summary), page.messages


def test_completion_is_refused_when_the_rider_expired(app, portal, staff):
    portal.login("demo-user")
    web = submit(portal, ENDPOINT, id1())

    def expire():
        rider = db.session().exec(select(Rider).where(Rider.number == RIDER)).one()
        rider.state = RiderState.EXPIRED

    made(app, expire)
    _, page = _complete(staff, web)
    assert record(app, web).status != Status.COMPLETED and policies(app) == []


def test_each_id1_screen_renders_within_the_budget(app, portal, staff):
    from tests.http.test_statement_budget import BUDGET, statements

    portal.login("demo-admin")
    start(portal, ENDPOINT)
    states = [portal.state()]
    for values in id1(contract={"department": "EXP01"}).values():  # the 企総登録 read (no L/C exemption)
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        assert not page.error_summary, page.error_summary
        states.append(portal.state())
    assert states[-1]["screen"] == "procedure.confirm"
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    states.append(portal.state())
    counts = {}
    for state in states:
        count, page = statements(portal, state)
        counts[f"{state['screen']} {page.h1}"] = count
    web = states[-1]["procedure"]["number"]
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    version = open_review(staff, web).one("input[name=version]")["value"]
    counts["review"] = statements(staff, staff.state())[0]
    staff.go("staff.decide", {"decision": "complete", "version": version})
    counts["complete"] = statements(staff, staff.state())[0]
    assert all(count <= BUDGET for count in counts.values()), list(counts.items())
