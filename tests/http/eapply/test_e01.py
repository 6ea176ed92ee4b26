"""E01 電子申請 (DOMAIN.md 12-1): the 申請種別 decides whether a 証券番号 or a バイヤーコード is
required; the 証券番号 and the 関連Web申込番号 must be the customer's own (C.4: another customer's reads
like an unknown one); the 保険利用者情報変更 証明書類 is for 管理者; the declaration is required."""

import pytest

from tests.http.eapply.helpers import (
    DEMO,
    OTHER,
    application_of,
    begin,
    blanket_contract_of,
    policy_of,
    record,
    send,
    submitted,
    to_confirm,
)

CONFIRM = "電子申請（申込内容確認）"


def test_the_menu_entry_is_linked_and_opens_the_procedure(portal):
    page = portal.login("demo-user")
    assert page.select("#area-eapply button")
    assert "準備中" not in page.text("#area-eapply")
    page = portal.go("eapply.filing")
    assert page.h1 == "電子申請（手続きの流れ）"


@pytest.mark.parametrize("kind", ["claim", "material_change", "accident_documents"])
def test_the_policy_kinds_require_a_policy_number(portal, kind):
    begin(portal)
    page = to_confirm(portal, kind=kind, policy_number="")
    assert page.field_error("policy_number") == "証券番号を入力してください"


@pytest.mark.parametrize("kind", ["blanket_buyer", "buyer_documents"])
def test_the_buyer_kinds_require_a_buyer_code(portal, kind):
    begin(portal)
    page = to_confirm(portal, kind=kind, buyer_code="")
    assert page.field_error("buyer_code") == "バイヤーコードを入力してください"


def test_the_conditional_questions_are_on_the_screen_and_ignored_for_other_kinds(portal):
    """JavaScript off: both questions are shown (to be revealed by the script), and what is typed
    in one the kind does not ask is ignored, not judged."""
    page = begin(portal)
    for name in ("policy_number", "buyer_code"):
        assert page.one(f"#{name}").find_parent(attrs={"data-reveal": True}) is not None
    page = to_confirm(portal, kind="rider", policy_number="not a number", buyer_code="999-999999")
    assert page.h1 == CONFIRM, page.error_summary
    assert "999-999999" not in page.screen_text


def test_the_policy_must_be_the_customers_own(app, portal, other_portal):
    mine = policy_of(app)
    begin(portal)
    page = to_confirm(portal, kind="claim", policy_number=mine)
    assert page.h1 == CONFIRM, page.error_summary
    begin(portal)
    page = to_confirm(portal, kind="claim", policy_number=blanket_contract_of(app))
    assert page.h1 == CONFIRM, page.error_summary

    begin(other_portal, "other-admin")
    others = to_confirm(other_portal, kind="claim", policy_number=mine).field_error("policy_number")
    unknown = to_confirm(other_portal, kind="claim", policy_number="01209999999999").field_error("policy_number")
    assert others == f"証券番号「{mine}」の保険契約は見つかりません。貴社の保険証券番号を入力してください"
    assert unknown == others.replace(mine, "01209999999999")  # the same words for both


def test_a_policy_number_is_14_digits(portal):
    begin(portal)
    page = to_confirm(portal, kind="claim", policy_number="0120260000001")
    assert page.field_error("policy_number") == "証券番号は14桁の数字で入力してください"
    assert page.one("#policy_number")["value"] == "0120260000001"  # what was typed is kept


def test_the_buyer_must_be_registered(portal):
    begin(portal)
    page = to_confirm(portal, kind="buyer_documents", buyer_code="999-999999")
    assert page.field_error("buyer_code") == "バイヤーコード「999-999999」は海外商社名簿に登録されていません"
    page = to_confirm(portal, kind="buyer_documents", buyer_code="304000101")  # 9 digits: the code
    assert page.h1 == CONFIRM, page.error_summary


def test_the_related_application_is_one_the_user_sees(app, portal, other_portal):
    """Scoped like Web申込状況一覧 (C.4): another customer's, or for a 一般 user a colleague's,
    reads like an unknown number."""
    own, others = application_of(app, "demo-admin"), application_of(app, "other-admin")
    begin(portal)
    page = to_confirm(portal, related_number=own.lower())
    assert page.h1 == CONFIRM, page.error_summary
    begin(portal)
    page = to_confirm(portal, related_number=others)
    assert page.field_error("related_number") == f"Web申込番号「{others}」の申込みは見つかりません"
    page = to_confirm(portal, related_number="W20200101999999")
    assert page.field_error("related_number") == "Web申込番号「W20200101999999」の申込みは見つかりません"
    page = to_confirm(portal, related_number="W123")
    assert "「W」と14桁の数字" in page.field_error("related_number")

    begin(other_portal, "demo-user")  # the same customer, a 一般 user: demo-admin's is not its own
    page = to_confirm(other_portal, related_number=own)
    assert page.field_error("related_number") == f"Web申込番号「{own}」の申込みは見つかりません"


def test_only_an_administrator_files_the_proof_of_a_customer_change(portal, other_portal):
    begin(portal, "demo-user")
    page = to_confirm(portal, kind="customer_change")
    assert page.field_error("kind") == "保険利用者情報変更 証明書類は管理者のみ申請できます"
    assert page.one("#kind option[selected]")["value"] == "customer_change"
    begin(other_portal, "demo-admin")
    assert to_confirm(other_portal, kind="customer_change").h1 == CONFIRM


def test_the_subject_the_declaration_and_a_file_are_required(portal):
    begin(portal)
    page = send(portal, subject="", declaration="")
    assert page.field_error("subject") == "件名を入力してください"
    assert page.field_error("documents") == "添付ファイルを添付してください"
    assert (
        page.field_error("declaration")
        == "「アップロードした書類は代表者印を押印した原本と同一の内容です」にチェックを入れてください"
    )
    page = send(portal, subject="x" * 101)
    assert page.field_error("subject") == "件名は100文字以内で入力してください"


def test_a_general_user_files_and_sees_it_in_the_application_list(app, portal):
    begin(portal, "demo-user")
    number = submitted(portal, kind="claim", policy_number=policy_of(app), subject="保険金請求書の提出")
    filed = record(app, number)
    assert filed.procedure == "E01" and filed.status == "submitted"
    assert filed.target == "保険金請求書：保険金請求書の提出" and filed.target_key == policy_of(app)
    page = portal.go("status.index")
    assert number in page.screen_text and "電子申請" in page.screen_text


def test_the_other_customer_codes_are_what_the_helpers_say(app):
    assert policy_of(app, DEMO) and policy_of(app, OTHER) is None
