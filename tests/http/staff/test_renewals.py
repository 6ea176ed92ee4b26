"""8-4 / S.6 更新案 on the console: a 管理担当 issues it from add_months(満了日, −2) (month ends, C.5),
one row per 有効 企総登録 with the last-year insured turnover (保険価額 船後 in yen of the policies under
the 特約), current and proposed limits, 削除予定 for a buyer without a policy; the 特約 becomes
更新手続中 with 更新申込期限 add_months(満了日, −1). Past the deadline without a submission staff decide
on it: the 特約 is renewed as proposed. A 審査担当 reaches none of it."""

from datetime import date
from decimal import Decimal

from sqlmodel import select

from nexi import db, masters
from nexi.estimate import to_yen
from nexi.models import Buyer, ProposalState, RenewalProposal, RenewalProposalRow, Rider, RiderBuyer, RiderState
from tests.http.comprehensive.helpers import add_rider, at, customer_id
from tests.http.staff.test_registrations import one, open_rider, rows
from tests.support import contracts


def year_of(app) -> int:
    with app.app_context():
        return db.session().exec(select(Rider).where(Rider.number.like("T%00001"))).first().starts_on.year


def covered(app, number: str, code: str, currency: str = "USD", amount: int = 10_000_000) -> None:
    """A policy of the demo customer on the payer, declared under the 特約."""
    with app.test_request_context():
        rider = db.session().exec(select(Rider).where(Rider.number == number)).one()
        buyer = db.session().exec(select(Buyer).where(Buyer.code == code)).one()
        row = contracts.policy(rider.customer_id, buyer, currency, amount)
        row.rider_id = rider.id
        db.session().add(row)
        db.session().commit()


def issue(staff, app, number: str, **limits):
    page, rider = open_rider(staff, app, number)
    page = staff.go("staff.renewal")
    return page, rider


def proposal(app, number: str):
    return one(
        app, select(RenewalProposal).join(Rider, Rider.id == RenewalProposal.rider_id).where(Rider.number == number)
    )


def proposal_rows(app, number: str) -> dict[str, RenewalProposalRow]:
    found = proposal(app, number)
    with app.app_context():
        listed = db.session().exec(
            select(RenewalProposalRow, Buyer.code).join(Buyer, Buyer.id == RenewalProposalRow.buyer_id)
            .where(RenewalProposalRow.proposal_id == found.id)
        ).all()  # fmt: skip
        return {code: row.model_copy() for row, code in listed}


def test_the_proposal_cannot_be_issued_before_two_months_before_the_expiry(app, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    at(app, monkeypatch, f"{year}-10-30")  # 満了日 12-31 → from 10-31
    staff.login("demo-manager")
    page, _rider = issue(staff, app, number)
    assert page.h1 == f"企業総合保険特約 {number}"
    assert f"更新案は {year}/10/31 から作成できます（特約期間満了日の前）。" in page.messages
    at(app, monkeypatch, f"{year}-10-31")
    page = staff.go("staff.renewal")
    assert page.h1 == f"更新案の作成 {number}"
    assert page.text(".renewal-deadline") == f"{year}/11/30"


def test_month_ends_give_the_issue_day_and_the_deadline(app, staff, monkeypatch):
    add_rider(app, "T202600009", "2026-03-01", "2027-02-28", [("304-000101", 50_000_000, "2026-03-01", 0)])
    at(app, monkeypatch, "2026-12-27")  # add_months(2027-02-28, −2) = 2026-12-28
    staff.login("demo-manager")
    page, _rider = issue(staff, app, "T202600009")
    assert "更新案は 2026/12/28 から作成できます（特約期間満了日の前）。" in page.messages
    at(app, monkeypatch, "2026-12-28")
    page = staff.go("staff.renewal")
    assert page.text(".renewal-deadline") == "2027/01/28"
    page = staff.go("staff.renewal_issue", {"action": "submit", **limit_values(app, "T202600009")})
    assert page.h1 == "更新案 T202600009"
    assert page.text(".next-period") == "2027/03/01～2028/02/29"  # leap year
    found = proposal(app, "T202600009")
    assert (found.issued_on, found.deadline_on, found.state) == (date(2026, 12, 28), date(2027, 1, 28), "提示中")
    assert one(app, select(Rider).where(Rider.number == "T202600009")).state == RiderState.RENEWING


def limit_values(app, number: str, **overrides) -> dict:
    with app.app_context():
        listed = db.session().exec(
            select(RiderBuyer, Buyer.code).join(Buyer, Buyer.id == RiderBuyer.buyer_id)
            .join(Rider, Rider.id == RiderBuyer.rider_id).where(Rider.number == number)
        ).all()  # fmt: skip
        return {f"limit_{row.id}": overrides.get(code, "" if row.limit_jpy is None else str(row.limit_jpy))
                for row, code in listed}  # fmt: skip


def test_rows_carry_the_turnover_in_yen_the_limits_and_unused_buyers(app, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    covered(app, number, "304-000102", "USD", 10_000_000)
    covered(app, number, "304-000102", "USD", 5_000_000)
    covered(app, number, "304-000102", "EUR", 1_000_000)
    covered(app, number, "105-000201", "USD", 2_000_000)
    at(app, monkeypatch, f"{year}-11-01")
    with app.app_context():
        rates = masters.currencies()
        usd, eur = rates["USD"], rates["EUR"]
        expected = to_yen(Decimal(15_000_000) / 10**usd.decimals, usd.rate) + to_yen(
            Decimal(1_000_000) / 10**eur.decimals, eur.rate
        )
        other = to_yen(Decimal(2_000_000) / 10**usd.decimals, usd.rate)
    staff.login("demo-manager")
    page, _rider = issue(staff, app, number)
    shown = {row[0]: row for row in rows(page, "tr.renewal-row")}
    assert shown["304-000102"][2] == f"{expected:,}" and shown["304-000102"][5] == "—"
    assert shown["111-000301"][2] == "0" and shown["111-000301"][5] == "削除予定"  # no policy in the 特約期間
    page = staff.go(
        "staff.renewal_issue", {"action": "submit", **limit_values(app, number, **{"105-000201": "30,000,000"})}
    )
    assert "更新案を提示しました。特約は更新手続中になりました。" in page.messages
    found = proposal_rows(app, number)
    assert (found["304-000102"].last_year_turnover_jpy, found["304-000102"].unused) == (expected, False)
    assert (found["304-000102"].current_limit_jpy, found["304-000102"].proposed_limit_jpy) == (200_000_000, 200_000_000)
    assert (found["105-000201"].last_year_turnover_jpy, found["105-000201"].proposed_limit_jpy) == (other, 30_000_000)
    assert (found["111-000301"].last_year_turnover_jpy, found["111-000301"].unused) == (0, True)


def test_a_proposed_limit_is_checked(app, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    at(app, monkeypatch, f"{year}-11-01")
    staff.login("demo-manager")
    issue(staff, app, number)
    page = staff.go("staff.renewal_issue", {"action": "submit", **limit_values(app, number, **{"304-000102": "abc"})})
    assert page.h1 == f"更新案の作成 {number}" and page.error_summary
    assert proposal(app, number) is None


def test_staff_decide_on_a_proposal_left_without_a_submission_after_the_deadline(app, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    covered(app, number, "304-000102")
    at(app, monkeypatch, f"{year}-11-01")
    staff.login("demo-manager")
    issue(staff, app, number)
    staff.go("staff.renewal_issue", {"action": "submit", **limit_values(app, number, **{"105-000201": "40,000,000"})})
    page = staff.go("staff.renewal")
    assert not page.select("#renewal-decide-title")  # before the deadline: nothing to decide
    at(app, monkeypatch, f"{year}-12-01")
    page = staff.go("staff.renewal")
    assert page.one("input[name=new_number]")["value"] == f"T{year + 1}00001"
    page = staff.go("staff.renewal_decide", {"action": "submit", "new_number": f"T{year + 1}00001"})
    assert page.h1 == f"企業総合保険特約 T{year + 1}00001", page.error_summary
    assert page.text(".rider-period") == f"{year + 1}/01/01～{year + 1}/12/31"
    with app.app_context():
        old = db.session().exec(select(Rider).where(Rider.number == number)).one()
        new = db.session().exec(select(Rider).where(Rider.number == f"T{year + 1}00001")).one()
        kept = {code: row for row, code in db.session().exec(
            select(RiderBuyer, Buyer.code).join(Buyer, Buyer.id == RiderBuyer.buyer_id).where(RiderBuyer.rider_id == new.id))}  # fmt: skip
        assert old.state == RiderState.RENEWING and new.state == RiderState.IN_FORCE  # in force to 満了日
        assert set(kept) == {"304-000102"}  # 105-000201 and 111-000301: 削除予定
        assert kept["304-000102"].limit_jpy == 200_000_000
        assert kept["304-000102"].limit_set_on == date(year + 1, 1, 1)
    assert proposal(app, number).state == ProposalState.DECIDED


def test_only_a_manager_issues_a_proposal(app, staff, monkeypatch):
    year = year_of(app)
    at(app, monkeypatch, f"{year}-11-01")
    staff.login("demo-reviewer")
    page = staff.go("staff.renewal")
    assert page.h1 != f"更新案の作成 T{year}00001"
    assert proposal(app, f"T{year}00001") is None


def test_another_customer_s_rider_is_not_reached(app, staff, monkeypatch):
    add_rider(app, "T202600008", "2026-01-01", "2026-12-31", [("304-000101", None, None, 0)], customer="987654321")
    at(app, monkeypatch, "2026-11-01")
    staff.login("demo-manager")
    open_rider(staff, app)  # サンプル精機's 特約 shown
    theirs = one(app, select(Rider).where(Rider.number == "T202600008"))
    assert customer_id(app, "987654321") == theirs.customer_id
    page = staff.go("staff.registration_contract", {"kind": "rider", "contract": str(theirs.id)})
    assert page.h1 != "企業総合保険特約 T202600008"
