"""K04 特約年度更新 (DOMAIN.md 8-4, S.3): the 管理者 answers the 更新案 staff issued (one row per
企総登録: 継続 / 削除 + 希望限度額; buyers added as in K01), only for the customer's own 特約 with an
open 更新案, one pending per 特約; late after the 更新申込期限 (warning, 期限超過). NEXI's 完了 opens
the new 特約期間 from 満了日 + 1 day for 12 months with the limits staff set; the old one stays in force
through its 満了日 and run-daily then makes it 満了."""

from datetime import date

from sqlmodel import select

from nexi import db, registrations
from nexi.models import Buyer, Department, ProposalState, RenewalProposal, Rider, RiderBuyer, RiderDepartment, Status
from tests.http.comprehensive.helpers import CONFIRM, add_rider, at, complete, errors_of, record, walk
from tests.http.staff.test_registrations import open_rider
from tests.http.staff.test_renewals import limit_values, year_of

K04 = "comprehensive.renewal"


def issued(app, staff, monkeypatch, number: str, moment: str, **limits) -> None:
    """A 管理担当 issues the 更新案 of the 特約 (at `moment`)."""
    at(app, monkeypatch, moment)
    staff.login("demo-manager")
    open_rider(staff, app, number)
    staff.go("staff.renewal")
    page = staff.go("staff.renewal_issue", {"action": "submit", **limit_values(app, number, **limits)})
    assert page.h1 == f"更新案 {number}", page.error_summary


def answers(number: str, rows: list[tuple[str, str, str]], added=(), departments=("EXP01",)) -> dict:
    values = {f"rows-{index}-{column}": value for index, row in enumerate(rows)
              for column, value in zip(("buyer_code", "decision", "desired_limit"), row, strict=True)}  # fmt: skip
    values["added_count"] = str(len(added)) if added else ""
    for index, row in enumerate(added):
        for column, value in zip(("buyer_code", "destination", "settlement_method", "desired_limit"), row, strict=True):
            values[f"added-{index}-{column}"] = value
    return {
        "contents": {
            "rider_number": number,
            "departments": list(departments),
            "contact_name": "管理 太郎",
            "contact_phone": "03-1234-5678",
            "contact_email": "admin@example.com",
        },  # fmt: skip
        "buyers": values,
    }


DEMO_ROWS = [("105-000201", "継続", "50,000,000"), ("111-000301", "削除", ""), ("304-000102", "継続", "250,000,000")]


def file(portal, number, rows=DEMO_ROWS, added=(("304-000101", "304", "送金", "80,000,000"),)) -> str:
    page = walk(portal, K04, answers(number, rows, added))
    assert page.h1 == f"特約年度更新{CONFIRM}", page.error_summary
    web = page.text(".panel .number")
    assert portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"}).h1.endswith("（申込完了）")
    return web


def proposal_state(app, number):
    with app.app_context():
        return (
            db.session()
            .exec(
                select(RenewalProposal.state)
                .join(Rider, Rider.id == RenewalProposal.rider_id)
                .where(Rider.number == number)
            )
            .one()
        )


def test_a_general_user_is_refused(app, portal, staff, monkeypatch):
    year = year_of(app)
    issued(app, staff, monkeypatch, f"T{year}00001", f"{year}-11-01")
    portal.login("demo-user")
    page = portal.go(K04)
    assert page.h1 != "特約年度更新"
    assert any("管理者" in message for message in page.messages), page.messages


def test_the_rows_come_from_the_proposal_with_unused_buyers_marked_for_deletion(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01", **{"105-000201": "50000000"})
    portal.login("demo-admin")
    portal.go(K04)
    page = portal.go("procedure.intro", {"action": "next"})
    assert page.one("select[name=rider_number] option[selected]")["value"] == number
    assert page.one("input[name=contact_name]")["value"]  # from the user
    page = portal.go("procedure.input_submit", {"action": "next", **answers(number, [])["contents"]})
    codes = [cell["value"] for cell in page.select("input[name$=-buyer_code][name^=rows]")]
    assert codes == ["105-000201", "111-000301", "304-000102"]
    decisions = [cell.select_one("option[selected]")["value"] for cell in page.select("select[name$=-decision]")]
    assert decisions == ["削除", "削除", "削除"]  # no policy under the 特約: every buyer 削除予定
    assert page.one("input[name=rows-0-desired_limit]")["value"] == "50,000,000"


def test_rows_continued_deleted_and_added_reach_confirm_and_nexi_renews(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    web = file(portal, number)
    assert proposal_state(app, number) == ProposalState.SUBMITTED
    page = complete(staff, web, new_number=f"T{year + 1}00001", decision_0="継続", limit_0="50,000,000",
                    decision_1="削除", limit_1="", decision_2="継続", limit_2="220,000,000",
                    decision_3="継続", limit_3="70,000,000")  # fmt: skip
    assert not page.error_summary, page.error_summary
    application = record(app, web)
    assert application.status == Status.COMPLETED and application.result["新しい特約番号"] == f"T{year + 1}00001"
    with app.app_context():
        old = db.session().exec(select(Rider).where(Rider.number == number)).one()
        new = db.session().exec(select(Rider).where(Rider.number == f"T{year + 1}00001")).one()
        # the old 特約 stays in force through its 満了日 (no gap before the new period), then run-daily ends it
        assert old.state == "更新手続中" and new.state == "有効"
        assert registrations.expire(date(year, 12, 31)) == 0
        assert registrations.expire(date(year + 1, 1, 1)) == 1 and registrations.expire(date(year + 1, 1, 1)) == 0
        db.session().refresh(old)
        assert old.state == "満了"
        assert (new.starts_on, new.ends_on) == (date(year + 1, 1, 1), date(year + 1, 12, 31))
        kept = {code: row for row, code in db.session().exec(
            select(RiderBuyer, Buyer.code).join(Buyer, Buyer.id == RiderBuyer.buyer_id).where(RiderBuyer.rider_id == new.id))}  # fmt: skip
        assert {code: row.limit_jpy for code, row in kept.items()} == {
            "105-000201": 50_000_000, "304-000102": 220_000_000, "304-000101": 70_000_000}  # fmt: skip
        assert (kept["304-000102"].destination, kept["304-000102"].settlement_method) == ("304", "送金")
        assert kept["304-000101"].limit_set_on == date(year + 1, 1, 1)
        departments = db.session().exec(
            select(Department.code).join(RiderDepartment, RiderDepartment.department_id == Department.id)
            .where(RiderDepartment.rider_id == new.id)
        ).all()  # fmt: skip
        assert departments == ["EXP01"]
    assert proposal_state(app, number) == ProposalState.DONE


def test_the_new_period_of_a_february_expiry_ends_on_a_leap_day(app, portal, staff, monkeypatch):
    add_rider(app, "T202600009", "2026-03-01", "2027-02-28", [("304-000101", 50_000_000, "2026-03-01", 0)])
    issued(app, staff, monkeypatch, "T202600009", "2026-12-28")
    at(app, monkeypatch, "2027-01-10")
    portal.login("demo-admin")
    web = file(portal, "T202600009", rows=[("304-000101", "継続", "")], added=())
    page = complete(staff, web, new_number="T202700009", decision_0="継続", limit_0="60,000,000")
    assert not page.error_summary, page.error_summary
    with app.app_context():
        new = db.session().exec(select(Rider).where(Rider.number == "T202700009")).one()
        assert (new.starts_on, new.ends_on) == (date(2027, 3, 1), date(2028, 2, 29))


def test_late_after_the_deadline_warns_and_is_overdue(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    at(app, monkeypatch, f"{year}-11-30")  # the last day (add_months(12-31, −1))
    portal.login("demo-admin")
    page = walk(portal, K04, answers(number, DEMO_ROWS))
    assert not [text for text in page.texts(".warning-list li, .warnings li") if "更新申込期限" in text]
    assert "更新申込期限" not in page.text("main")
    at(app, monkeypatch, f"{year}-12-01")
    page = walk(portal, K04, answers(number, DEMO_ROWS))
    assert f"更新申込期限（{year}年11月30日）を過ぎています" in page.text("main")
    portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    web = page.text(".panel .number")
    assert record(app, web).overdue is True


def test_a_rider_without_an_open_proposal_is_not_offered(app, portal, monkeypatch):
    year = year_of(app)
    at(app, monkeypatch, f"{year}-11-01")
    portal.login("demo-admin")
    page = walk(portal, K04, answers(f"T{year}00001", DEMO_ROWS))
    assert "特約番号" in errors_of(page)


def test_another_customer_s_rider_is_refused(app, portal, staff, monkeypatch):
    add_rider(app, "T202600008", "2026-01-01", "2026-12-31", [("304-000101", None, None, 0)], customer="987654321")
    with app.app_context():
        rider = db.session().exec(select(Rider).where(Rider.number == "T202600008")).one()
        rider.state = "更新手続中"
        db.session().add(RenewalProposal(rider_id=rider.id, customer_id=rider.customer_id, issued_on=date(2026, 11, 1),
                                         deadline_on=date(2026, 11, 30), created_at=rider.created_at,
                                         updated_at=rider.created_at))  # fmt: skip
        db.session().add(rider)
        db.session().commit()
    at(app, monkeypatch, "2026-11-01")
    portal.login("demo-admin")
    page = walk(portal, K04, answers("T202600008", [("304-000101", "継続", "")]))
    assert "特約番号" in errors_of(page)
    assert not page.h1.endswith(CONFIRM)


def test_added_rows_are_checked_as_in_k01(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    page = walk(portal, K04, answers(number, DEMO_ROWS, [("999-999999", "304", "送金", "")]))
    assert "海外商社名簿に登録されていません" in errors_of(page)
    page = portal.go(
        "procedure.input_submit",
        {"action": "next", **answers(number, DEMO_ROWS, [("304-000102", "304", "送金", "")])["buyers"]},
    )
    assert "すでに一覧にあります" in errors_of(page)


def test_the_proposal_rows_cannot_be_changed(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    rows = [("105-000201", "継続", ""), ("111-000301", "継続", ""), ("213-000401", "継続", "")]
    page = walk(portal, K04, answers(number, rows))
    assert "更新案のバイヤーが変更されています" in errors_of(page)


def test_one_pending_renewal_per_rider(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    file(portal, number)
    page = walk(portal, K04, answers(number, DEMO_ROWS))
    assert "すでに申込み中です" in errors_of(page)


def test_a_submitted_proposal_is_not_decided_by_staff(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    file(portal, number)
    at(app, monkeypatch, f"{year}-12-01")
    staff.login("demo-manager")
    open_rider(staff, app, number)
    page = staff.go("staff.renewal")
    assert page.text(".proposal-state") == "申込済" and not page.select("#renewal-decide-title")
    page = staff.go("staff.renewal_decide", {"action": "submit", "new_number": f"T{year + 1}00001"})
    assert "決定できません" in " ".join(page.messages)
    with app.app_context():
        assert db.session().exec(select(Rider).where(Rider.number == f"T{year + 1}00001")).first() is None


def test_the_new_rider_number_must_be_new_and_well_formed(app, portal, staff, monkeypatch):
    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    web = file(
        portal,
        number,
        rows=[("105-000201", "継続", ""), ("111-000301", "削除", ""), ("304-000102", "継続", "")],
        added=(),
    )
    for typed, message in ((number, "すでに登録されています"), ("X1", "「T」と西暦4桁・連番5桁")):
        page = complete(staff, web, new_number=typed, decision_0="継続", limit_0="", decision_1="削除", limit_1="",
                        decision_2="継続", limit_2="")  # fmt: skip
        assert message in " ".join(page.error_summary), page.error_summary
    assert record(app, web).status != Status.COMPLETED


def test_a_rejected_renewal_leaves_the_proposal_open_for_staff_to_decide(app, portal, staff, monkeypatch):
    from tests.http.staff.test_review import decide

    year = year_of(app)
    number = f"T{year}00001"
    issued(app, staff, monkeypatch, number, f"{year}-11-01")
    portal.login("demo-admin")
    web = file(portal, number)
    staff.login("demo-reviewer")
    decide(staff, web, "accept")
    decide(staff, web, "reject", comment="内容に不備があるため")
    assert record(app, web).status == Status.REJECTED
    assert proposal_state(app, number) == ProposalState.OPEN
