"""受理 of E01 by NEXI staff (DOMAIN.md S.3): optionally linked to a policy, a buyer or an
application of the filing's own customer — each checked — and the links kept in the result the
customer sees."""

import pytest

from nexi.models import Status
from nexi.procedures.eapply.completion import complete_filing
from nexi.procedures.engine import Refused
from tests.http.eapply.helpers import application_of, begin, policy_of, record, submitted
from tests.http.staff.test_review import decide, open_review


def to_result_form(staff, number):
    decide(staff, number, "accept")
    page = open_review(staff, number)
    return staff.go("staff.decide", {"decision": "complete", "version": page.one("input[name=version]")["value"]})


def test_the_links_start_from_the_customers_answers_and_are_shown_in_the_result(app, portal, staff):
    policy, related = policy_of(app), application_of(app, "demo-admin")
    begin(portal)
    number = submitted(portal, kind="claim", policy_number=policy, related_number=related)
    staff.login("demo-reviewer")
    page = to_result_form(staff, number)
    assert page.one("#linked_policy")["value"] == policy
    assert page.one("#linked_application")["value"] == related
    assert page.one("#linked_buyer").get("value", "") == ""
    assert "受理した書類を関連付ける保険証券番号" in page.text()  # the fields' own help, on the console
    page = staff.go(
        "staff.decide_submit",
        {"action": "submit", "linked_policy": policy, "linked_buyer": "304-000101", "linked_application": related},
    )
    assert "完了しました" in " ".join(page.messages)
    filed = record(app, number)
    assert filed.status == Status.COMPLETED
    assert filed.result == {
        "受理": "NEXIが受理しました",
        "関連付けた証券番号": policy,
        "関連付けた海外商社": "304-000101 ACME INDUSTRIAL SUPPLY INC.",
        "関連付けたWeb申込番号": related,
    }
    detail = portal.go("status.detail", {"number": number})
    assert "関連付けた証券番号" in detail.text("#result-title + dl") and policy in detail.text("#result-title + dl")


def test_a_filing_is_accepted_without_links(app, portal, staff):
    begin(portal, "demo-user")
    number = submitted(portal)
    staff.login("demo-reviewer")
    page = to_result_form(staff, number)
    assert page.one("#linked_policy").get("value", "") == ""  # the kind named none
    staff.go("staff.decide_submit", {"action": "submit"})
    assert record(app, number).result == {"受理": "NEXIが受理しました"}


def test_links_of_another_customer_or_unknown_ones_are_refused(app, portal, staff):
    """東和 files; サンプル精機's policy and application are not its own: refused at the field, like
    numbers that do not exist, and nothing is completed."""
    theirs_policy, theirs_application = policy_of(app), application_of(app, "demo-admin")
    begin(portal, "other-admin")
    number = submitted(portal)
    staff.login("demo-reviewer")
    to_result_form(staff, number)
    page = staff.go(
        "staff.decide_submit",
        {"action": "submit", "linked_policy": theirs_policy, "linked_application": theirs_application},
    )
    assert page.field_error("linked_policy") == (
        f"証券番号「{theirs_policy}」の保険契約は見つかりません。この保険利用者の保険証券番号を入力してください"
    )
    assert page.field_error("linked_application") == f"Web申込番号「{theirs_application}」の申込みは見つかりません"
    page = staff.go(
        "staff.decide_submit",
        {"action": "submit", "linked_policy": "01209999999999", "linked_buyer": "999-999999",
         "linked_application": number},
    )  # fmt: skip
    assert "01209999999999" in page.field_error("linked_policy")
    assert page.field_error("linked_buyer") == "バイヤーコード「999-999999」は海外商社名簿に登録されていません"
    assert page.field_error("linked_application") == f"Web申込番号「{number}」の申込みは見つかりません"  # itself
    assert record(app, number).status == Status.REVIEWING


def test_the_hook_checks_the_links_again(app, portal):
    """What the form checked is checked again at 完了 (a posted value never reaches the record)."""
    begin(portal, "other-admin")
    number = submitted(portal)
    with app.app_context():
        filed = record(app, number)
        with pytest.raises(Refused, match="保険契約は見つかりません"):
            complete_filing(filed, {"linked_policy": policy_of(app)})
        with pytest.raises(Refused, match="申込みは見つかりません"):
            complete_filing(filed, {"linked_application": application_of(app, "demo-admin")})
        with pytest.raises(Refused, match="登録されていません"):
            complete_filing(filed, {"linked_buyer": "999-999999"})
