"""期限が近いお手続き under ⑦ of the user page (issue 20): the customer's deadlines from today
through today + 30 days, soonest first, each with its date, the days left and the button of the
procedure that acts on it — and never another customer's (C.4). The business day is fixed."""

from datetime import date, timedelta

import pytest

from nexi import db, deadlines
from nexi.models import ConfirmationState, LossState, Policy, PolicyState, ProposalState, Rider, Status
from nexi.procedures.comprehensive import renewal_effects
from tests.http.test_statement_budget import BUDGET, statements
from tests.support import contracts
from tests.support import deadlines as rows
from tests.support.contracts import empty_contract_book  # noqa: F401  (the demo's 確認 and policies out)
from tests.support.losses import accepted_loss
from tests.support.pages import normalize

pytestmark = pytest.mark.usefixtures("empty_contract_book")

TODAY = date(2026, 10, 1)  # the window: 2026-10-01 through 2026-10-31
HOME = {"screen": "home.index", "screen_args": {}, "procedure": None}


@pytest.fixture(autouse=True)
def business_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-10-01T10:00:00")


@pytest.fixture
def owners(app):
    """((サンプル精機, a user of it), (東和トレーディング, a user of it))."""
    return made(app, lambda: contracts.customers(2))


def made(app, make):
    with app.test_request_context():
        result = make()
        db.session().commit()
        return result


def listed(page) -> list[tuple[str, str, str]]:
    """(date and days left, what it is about, its button or the reason it has none) of each item."""
    found = []
    for item in page.select(".home-deadlines .deadline-list__item"):
        button = item.select_one("button")
        action = button if button is not None else item.select_one(".menu-item__reason")
        found.append(
            (
                normalize(item.select_one(".deadline-list__due").get_text("")),
                normalize(item.select_one(".deadline-list__subject").get_text("")),
                normalize(action.get_text("")) if action is not None else "",
            )
        )
    return found


def subjects(page) -> list[str]:
    return [subject for _due, subject, _action in listed(page)]


def key(policy: Policy) -> str:
    return f"{policy.number}-{policy.branch}"


def test_an_unsettled_payment_due_is_listed_until_45_days_after_it_without_a_loss_notice(
    app, portal, other_portal, owners
):
    (mine, user), (other, other_user) = owners

    def make():
        shown = rows.unsettled(mine, date(2026, 9, 1))  # A01 by 2026-10-16
        rows.unsettled(mine, date(2026, 8, 1))  # by 09-15: passed
        rows.unsettled(mine, date(2026, 9, 20))  # by 11-04: later
        rows.unsettled(mine, date(2026, 9, 2), settled=100_000)  # paid (L03)
        rows.loss_notice(rows.unsettled(mine, date(2026, 9, 3)), user)  # an A01 申込済: noticed
        rows.loss_notice(rows.unsettled(mine, date(2026, 9, 4)), user, Status.COMPLETED)  # 受理: noticed
        returned = rows.unsettled(mine, date(2026, 9, 5))
        rows.loss_notice(returned, user, Status.RETURNED)  # 差戻し: no loss notice exists meanwhile
        rows.unsettled(mine, date(2026, 9, 6)).state = PolicyState.CANCELLED  # 解約: A01 takes none
        theirs = rows.unsettled(other, date(2026, 9, 1))
        return key(shown), key(returned), key(theirs)

    shown, returned, theirs = made(app, make)
    assert listed(portal.login("demo-admin")) == [
        (
            "2026年10月16日まで（残り15日）",
            f"損失等発生通知の期限：証券番号 {shown} 第1回決済期限（2026年9月1日）",
            "損失等発生通知",
        ),
        (
            "2026年10月20日まで（残り19日）",
            f"損失等発生通知の期限：証券番号 {returned} 第1回決済期限（2026年9月5日）",
            "損失等発生通知",
        ),
    ]
    assert subjects(other_portal.login("other-admin")) == [
        f"損失等発生通知の期限：証券番号 {theirs} 第1回決済期限（2026年9月1日）"
    ]


def test_the_claim_deadline_of_an_open_loss_is_listed_unless_an_extension_is_pending(app, portal, other_portal, owners):
    (mine, user), (other, other_user) = owners

    def make():
        buyer = rows.demo_buyer()
        shown = accepted_loss(mine, user, buyer, due_on=date(2026, 1, 15))  # 請求期限 2026-10-15
        accepted_loss(mine, user, buyer, due_on=date(2026, 2, 15))  # 11-15: later
        accepted_loss(mine, user, buyer, due_on=date(2026, 1, 10)).state = LossState.CLAIMED  # 請求済
        pending = accepted_loss(mine, user, buyer, due_on=date(2026, 1, 12))
        rows.applied(mine, user, "A03", pending.number)  # 猶予 asked: the claim stays alive meanwhile
        withdrawn = accepted_loss(mine, user, buyer, due_on=date(2026, 1, 20))
        rows.applied(mine, user, "A03", withdrawn.number, Status.WITHDRAWN)
        theirs = accepted_loss(other, other_user, buyer, due_on=date(2026, 1, 15))
        policy = lambda loss: key(db.session().get(Policy, loss.policy_id))  # noqa: E731
        return [(loss.number, policy(loss)) for loss in (shown, withdrawn, theirs)]

    (shown, shown_policy), (withdrawn, withdrawn_policy), (theirs, _) = made(app, make)
    assert listed(portal.login("demo-admin")) == [
        (
            "2026年10月15日まで（残り14日）",
            f"請求期限：事故番号 {shown}（証券番号 {shown_policy} 第1回決済期限）",
            "保険金請求期間の猶予期間設定申請",
        ),
        (
            "2026年10月20日まで（残り19日）",
            f"請求期限：事故番号 {withdrawn}（証券番号 {withdrawn_policy} 第1回決済期限）",
            "保険金請求期間の猶予期間設定申請",
        ),
    ]
    assert [subject.split("（")[0] for subject in subjects(other_portal.login("other-admin"))] == [
        f"請求期限：事故番号 {theirs}"
    ]


def test_the_renewal_deadline_of_an_unanswered_proposal_is_listed_and_k04_is_for_administrators(
    app, portal, other_portal, owners
):
    (mine, _user), (other, _other_user) = owners

    def make():
        shown = rows.proposal(mine, date(2026, 11, 15))  # 更新申込期限 add_months(満了日, −1) = 10-15
        rows.proposal(mine, date(2026, 12, 15))  # 11-15: later
        rows.proposal(mine, date(2026, 11, 10), ProposalState.SUBMITTED)  # a K04 answers it
        rows.proposal(other, date(2026, 11, 15))
        assert shown.deadline_on == renewal_effects.deadline(date(2026, 11, 15)) == date(2026, 10, 15)
        return db.session().get(Rider, shown.rider_id).number

    number = made(app, make)
    subject = f"更新申込期限：特約番号 {number}（特約期間満了日 2026年11月15日）"
    assert listed(portal.login("demo-admin")) == [("2026年10月15日まで（残り14日）", subject, "特約年度更新")]
    general = other_portal.login("demo-user")
    assert listed(general) == [
        ("2026年10月15日まで（残り14日）", subject, "（特約年度更新は管理者のみご利用いただけます）")
    ]
    assert not general.select(".home-deadlines button")


def test_a_sleeping_candidate_the_customer_had_to_do_with_is_listed_until_it_files_b05(
    app, portal, other_portal, owners
):
    (mine, user), (other, other_user) = owners

    def make():
        contracts.policy(mine, rows.sleeping("304-990001", date(2026, 10, 10)))  # the payer of its policy
        rows.confirmation(mine, date(2026, 12, 31), buyer=rows.sleeping("304-990002", date(2026, 10, 11)))
        rows.applied(mine, user, "B02", "304-990003", Status.REJECTED)  # an application about it
        rows.sleeping("304-990003", date(2026, 10, 12))
        rows.rated_on_application(rows.sleeping("304-990004", date(2026, 10, 13)), mine, user)  # its B01
        rows.sleeping("304-990005", date(2026, 10, 14))  # nothing to do with it
        contracts.policy(mine, rows.sleeping("304-990006", date(2026, 11, 1)))  # later
        contracts.policy(mine, rows.sleeping("304-990007", date(2026, 10, 15)))
        rows.applied(mine, user, "B05", "304-990007")  # its B05 pending
        contracts.policy(other, rows.sleeping("304-990008", date(2026, 10, 16)))  # another customer's
        contracts.policy(mine, rows.sleeping("304-990009", date(2026, 10, 17)))
        rows.applied(other, other_user, "B05", "304-990009")  # another's B05 is not this customer's
        rows.rated_on_application(rows.sleeping("304-990010", date(2026, 10, 18)), mine, user, Status.REJECTED)

    made(app, make)
    page = portal.login("demo-admin")
    assert [(due, action) for due, _subject, action in listed(page)][:1] == [
        ("2026年10月10日まで（残り9日）", "スリーピング候補バイヤー解除申請")
    ]
    assert subjects(page) == [
        f"解除申請期限：スリーピング候補バイヤー 304-99000{n} DORMANT TRADING LTD" for n in (1, 2, 3, 4, 9)
    ]
    assert subjects(other_portal.login("other-admin")) == [
        "解除申請期限：スリーピング候補バイヤー 304-990008 DORMANT TRADING LTD"
    ]


def test_a_confirmation_that_can_still_be_used_is_listed_with_the_application_it_serves(
    app, portal, other_portal, owners
):
    (mine, _user), (other, _other_user) = owners

    def make():
        shown = rows.confirmation(mine, date(2026, 10, 14)).number
        part_used = rows.confirmation(mine, date(2026, 10, 20), state=ConfirmationState.PART_USED).number
        rows.confirmation(mine, date(2026, 11, 14))  # later
        rows.confirmation(mine, date(2026, 10, 15), state=ConfirmationState.USED)
        rows.confirmation(mine, date(2026, 10, 16), state=ConfirmationState.RETURNED)
        theirs = rows.confirmation(other, date(2026, 10, 14)).number
        return shown, part_used, theirs

    shown, part_used, theirs = made(app, make)
    buyer = "304-000101 ACME INDUSTRIAL SUPPLY INC."
    assert listed(portal.login("demo-admin")) == [
        (
            "2026年10月14日まで（残り13日）",
            f"確認の有効期限：確認管理番号 {shown}（バイヤーコード {buyer}）",
            "貿易一般保険（個別） 申込",
        ),
        (
            "2026年10月20日まで（残り19日）",
            f"確認の有効期限：確認管理番号 {part_used}（バイヤーコード {buyer}）",
            "貿易一般保険（個別） 申込",
        ),
    ]
    assert subjects(other_portal.login("other-admin")) == [
        f"確認の有効期限：確認管理番号 {theirs}（バイヤーコード {buyer}）"
    ]


def _confirmations(mine, days):
    for offset in days:
        rows.confirmation(mine, TODAY + timedelta(days=offset))


def _payments_due(mine, days):
    for offset in days:
        rows.unsettled(mine, TODAY + timedelta(days=offset - 45))  # its A01 deadline: TODAY + offset


@pytest.mark.parametrize("make", [_confirmations, _payments_due], ids=["confirmation", "notice"])
def test_the_window_runs_from_today_through_today_plus_30_days(app, portal, owners, make):
    (mine, _user), _other = owners
    made(app, lambda: make(mine, (-1, 0, 30, 31)))
    assert [due for due, _subject, _action in listed(portal.login("demo-admin"))] == [
        "2026年10月1日まで（本日が期限です）",
        "2026年10月31日まで（残り30日）",
    ]


def test_the_deadlines_are_sorted_soonest_first(app, portal, owners):
    (mine, user), (other, other_user) = owners
    made(app, lambda: rows.one_of_each(mine, user, other))
    assert [(due, subject.split("：")[0]) for due, subject, _action in listed(portal.login("demo-admin"))] == [
        ("2026年10月2日まで（残り1日）", "請求期限"),
        ("2026年10月3日まで（残り2日）", "確認の有効期限"),
        ("2026年10月5日まで（残り4日）", "解除申請期限"),
        ("2026年10月7日まで（残り6日）", "損失等発生通知の期限"),
        ("2026年10月9日まで（残り8日）", "更新申込期限"),
    ]


def test_without_deadlines_the_block_says_so(portal):
    page = portal.login("demo-admin")
    assert page.text(".home-deadlines") == "期限が近いお手続き 30日以内に期限を迎えるお手続きはありません。"
    assert not page.select(".home-deadlines form")


def test_a_button_starts_its_procedure_through_the_guard(app, both, owners):
    (mine, _user), _other = owners
    made(app, lambda: rows.unsettled(mine, date(2026, 9, 1)))
    page = both.login("demo-admin")
    button = page.one(".home-deadlines button")
    assert button.text == "損失等発生通知" and button["formaction"] == both.url("losses.notice")
    assert both.post(button["formaction"]).h1 == "損失等発生通知（手続きの流れ）"
    assert both.state()["screen"] == "procedure.intro"
    back = both.go("procedure.intro", {"action": "back"})  # the user page again, a fragment with htmx
    assert back.h1 == "ユーザーページ" and back.texts(".home-deadlines button") == ["損失等発生通知"]


def test_the_block_costs_one_statement_whatever_it_lists(app, portal, owners, monkeypatch):
    (mine, user), (other, other_user) = owners
    portal.login("demo-admin")
    empty, _page = statements(portal, HOME)
    made(app, lambda: rows.one_of_each(mine, user, other))
    made(app, lambda: [rows.confirmation(mine, date(2026, 10, 3 + n)) for n in range(20)])
    full, page = statements(portal, HOME)
    assert len(page.select(".deadline-list__item")) == 25
    assert full == empty <= BUDGET
    monkeypatch.setattr(deadlines, "upcoming", lambda _customer_id: [])
    without, _page = statements(portal, HOME)
    assert without == full - 1
