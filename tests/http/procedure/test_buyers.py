"""7章 海外商社（バイヤー）に関する手続き: the rules of B01–B05 (DOMAIN.md §7)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from nexi import db
from nexi.clock import today
from nexi.models import Application, Buyer, Status
from tests.support.procedures import b01, walk


def submitted(app, code):
    with app.app_context():
        return (
            db.session()
            .exec(select(Application).where(Application.procedure == code, Application.status == Status.SUBMITTED))
            .all()
        )


# B01 海外商社新規登録 ---------------------------------------------------------------------------


def test_b01_can_ask_nexi_to_obtain_the_credit_report(app, portal):
    portal.login()
    page = walk(portal, "buyers.register", b01())
    assert page.h1.endswith("（申込内容確認）")
    assert portal.go("procedure.confirm_submit", {"action": "submit"}).h1.endswith("（申込完了）")


def test_b01_asking_nexi_needs_the_fee_acknowledged(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(report={"fee_ack": ""}))
    assert (
        page.field_error("fee_ack")
        == "「信用調査報告書の取得費用は申込者の負担となることを了承します」にチェックを入れてください"
    )


def test_b01_an_attached_report_needs_its_details_and_file(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(report={"report_mode": "attach", "fee_ack": ""}))
    assert page.field_error("issuer") == "発行機関を入力してください"
    assert page.field_error("report_date") == "報告書日付を入力してください"
    assert page.field_error("language") == "言語を選択してください"
    assert page.field_error("report_files") == "信用調査報告書のファイルを添付してください"


def test_b01_a_report_older_than_twelve_months_is_refused(portal):
    portal.login()
    old = (today() - timedelta(days=400)).isoformat()
    page = walk(
        portal,
        "buyers.register",
        b01(report={"report_mode": "attach", "issuer": "D&B", "report_date": old, "language": "en"}),
    )
    assert "12か月より前" in page.field_error("report_date")


def test_b01_class_e_needs_a_recent_fiscal_year_end(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(report={"fiscal_end": ""}))
    assert page.field_error("fiscal_end") == "直近決算期末日を入力してください"
    old = (today() - timedelta(days=600)).isoformat()
    page = portal.go("procedure.input_submit", {"action": "next", **b01(report={"fiscal_end": old})["report"]})
    assert "18か月より前" in page.field_error("fiscal_end")


def test_b01_classes_g_and_s_need_proof_documents(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(report={"desired_class": "G", "fiscal_end": ""}))
    assert page.field_error("proof_files").startswith("証明書類")


def test_b01_a_branch_names_its_registered_head_office(portal):
    portal.login()
    page = walk(
        portal,
        "buyers.register",
        b01(company={"office_type": "branch", "head_registered": "yes", "head_office_code": "304-999999"}),
    )
    assert page.field_error("head_office_code") == "本店バイヤーコード「304-999999」は海外商社名簿に登録されていません"
    page = portal.go(
        "procedure.input_submit",
        {
            "action": "next",
            **b01()["company"],
            "office_type": "branch",
            "head_registered": "yes",
            "head_office_code": "304000101",
        },
    )
    assert page.h1.endswith("（名簿区分と信用調査報告書）")


def test_b01_only_a_bank_branch_registers_its_head_office_at_the_same_time(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(company={"office_type": "branch", "head_registered": "no"}))
    assert "銀行の支店だけ" in page.field_error("head_registered")
    page = portal.go(
        "procedure.input_submit",
        {"action": "next", **b01()["company"], "office_type": "branch", "head_registered": "no", "industry": "銀行"},
    )
    assert page.h1 == "海外商社新規登録（本店の同時登録）"
    assert "本店の同時登録" in page.texts(".steps li")[3]


def test_b01_the_same_name_in_the_same_country_warns_and_must_be_acknowledged(app, portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(buyer={"name_en": "Acme Industrial Supply, Inc", "country": "304"}))
    assert "304-000101" in page.text(".warnings")
    refused = portal.go("procedure.confirm_submit", {"action": "submit"})
    assert refused.field_error("acknowledge") == "「上記の注意事項を確認しました」にチェックを入れてください"
    assert not [a for a in submitted(app, "B01") if "Acme" in a.target]
    done = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert done.h1.endswith("（申込完了）")


def test_b01_a_country_where_nexi_does_not_underwrite_warns(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(buyer={"country": "224"}))
    assert "引受停止国" in page.text(".warnings")


def test_b01_yen_amounts_have_no_decimals_and_usance_stays_under_730_days(portal):
    portal.login()
    page = walk(
        portal, "buyers.register", b01(plan={"planned_amount": "1000.5", "planned_currency": "JPY", "usance": "730"})
    )
    assert page.field_error("planned_amount") == "JPYの金額は小数点以下を入力できません"
    assert page.field_error("usance") == "ユーザンス（日）は0から729までの数値で入力してください"


def test_b01_an_answer_left_in_a_question_that_no_longer_applies_is_ignored(portal):
    portal.login()
    page = walk(
        portal,
        "buyers.register",
        b01(company={"office_type": "head", "head_registered": "yes", "head_office_code": "not a code"}),
    )
    assert page.h1.endswith("（申込内容確認）")
    assert "本店バイヤーコード" not in page.texts(".summary-group dt")


# B02 格付変更申請 -------------------------------------------------------------------------------

B02 = {
    "target": {"buyer_code": "304-000101", "reason": "財務内容が改善したため"},
    "report": {"report_mode": "request", "fee_ack": "y"},
}


def test_b02_asks_for_a_registered_buyer(portal):
    portal.login()
    page = walk(portal, "buyers.rating_change", {"target": {**B02["target"], "buyer_code": "224-000001"}})
    assert "登録されていません" in page.field_error("buyer_code")


def test_b02_one_pending_request_per_buyer(app, portal):
    portal.login()
    walk(portal, "buyers.rating_change", B02)
    portal.go("procedure.confirm_submit", {"action": "submit"})
    page = walk(portal, "buyers.rating_change", B02)
    assert "すでにNEXIで受付中" in page.field_error("buyer_code")
    assert len([a for a in submitted(app, "B02") if a.target_key == "304-000101"]) == 1


def test_b02_shows_the_buyer_as_its_target(app, portal):
    portal.login()
    walk(portal, "buyers.rating_change", B02)
    portal.go("procedure.confirm_submit", {"action": "submit"})
    [application] = [a for a in submitted(app, "B02") if a.target_key == "304-000101"]
    assert application.target == "304-000101 ACME INDUSTRIAL SUPPLY INC."


# B03 名称・住所の変更・追加 ----------------------------------------------------------------------


def test_b03_a_new_name_must_differ_and_the_evidence_is_required(portal):
    portal.login()
    page = walk(
        portal,
        "buyers.name_address",
        {
            "change": {
                "buyer_code": "304-000101",
                "change_kind": "name",
                "new_name_en": "acme industrial supply inc.",
                "reason": "社名変更",
            }
        },
    )
    assert page.field_error("new_name_en") == "新しい英文名称が現在の名称と同じです"
    assert page.field_error("evidence_files") == "証拠書類を添付してください"


def test_b03_only_the_questions_of_the_chosen_kind_are_required(portal):
    portal.login()
    page = walk(
        portal,
        "buyers.name_address",
        {"change": {"buyer_code": "304-000101", "change_kind": "address", "reason": "移転"}},
    )
    assert page.field_error("new_address") == "新しい住所を入力してください"
    assert not page.select("#new_name_en-error")


# B04 海外支店・子会社等の登録・削除 --------------------------------------------------------------


def test_b04_registering_asks_for_the_new_branch_and_a_share_for_a_subsidiary(portal):
    portal.login()
    page = walk(
        portal, "buyers.branches", {"head": {"head_code": "304-000101", "action": "register", "relation": "subsidiary"}}
    )
    assert page.h1 == "海外支店・子会社等の登録・削除（登録する支店・子会社等）"
    page = portal.go(
        "procedure.input_submit",
        {
            "action": "next",
            "branch_name_en": "ACME MEXICO",
            "branch_country": "305",
            "branch_address": "Av 1",
            "branch_city": "Monterrey",
            "branch_industry": "商社",
        },
    )
    assert page.field_error("share_ratio") == "出資比率（%）を入力してください"


def test_b04_deleting_needs_a_buyer_linked_to_that_head_office(portal):
    portal.login()
    page = walk(
        portal,
        "buyers.branches",
        {
            "head": {"head_code": "205-000501", "action": "delete", "relation": "branch"},
            "delete": {"target_code": "304-000102", "delete_reason": "閉鎖"},
        },
    )
    assert "支店・子会社等として登録されていません" in page.field_error("target_code")
    page = portal.go("procedure.input_submit", {"action": "next", "target_code": "112-000502", "delete_reason": "閉鎖"})
    assert page.h1.endswith("（申込内容確認）")


# B05 スリーピング候補バイヤー解除申請 ------------------------------------------------------------


def b05(**changes):
    plan = (today() + timedelta(days=60)).strftime("%Y-%m")
    return {
        "release": {
            "buyer_code": "601-000901",
            "release_reason": "取引再開予定",
            "plan_product": "01",
            "plan_month": plan,
            "plan_amount": "1000",
            "plan_currency": "USD",
            **changes,
        }
    }


def test_b05_releases_a_current_candidate(portal):
    portal.login()
    assert walk(portal, "buyers.sleeping_release", b05()).h1.endswith("（申込内容確認）")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("304-000101", "スリーピング候補バイヤーではありません"),
        ("305-001101", "解除申請期限"),
        ("999-000001", "登録されていません"),
    ],
)
def test_b05_refuses_buyers_that_are_not_open_candidates(portal, code, message):
    portal.login()
    page = walk(portal, "buyers.sleeping_release", b05(buyer_code=code))
    assert message in page.field_error("buyer_code")


def test_b05_can_be_filed_until_the_end_of_the_deadline_day(app, portal):
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == "601-000901")).one()
        buyer.release_deadline = today()
        db.session().add(buyer)
        db.session().commit()
    portal.login()
    assert walk(portal, "buyers.sleeping_release", b05()).h1.endswith("（申込内容確認）")


def test_b05_the_planned_month_is_within_24_months(portal):
    portal.login()
    far = (today() + timedelta(days=800)).strftime("%Y-%m")
    assert (
        walk(portal, "buyers.sleeping_release", b05(plan_month=far)).field_error("plan_month")
        == "予定時期は24か月以内で入力してください"
    )
    assert (
        portal.go("procedure.input_submit", {"action": "next", **b05(plan_month="2020-01")["release"]}).field_error(
            "plan_month"
        )
        == "予定時期に過去の月は入力できません"
    )
