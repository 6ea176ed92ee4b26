"""IF1 中小企業・農林水産業輸出代金保険 申込 (DOMAIN.md 9-1, 9-2, 9-4 中小企業 (IF), C.7), flow R.

The 9-1 steps, the 9-3 checks and the contract-book hooks are IA1's (common.py, checks.py,
completion.py) for 保険種別 06; what is IF1's own is only here: 船後 only (no 付保 choice, no FOB,
no 船前 付保率), 付保率 95/95 fixed (estimate.cover_choices offers nothing else for 06, so the field
is chosen already), the 受取人, every 決済期限 within NEXI_SME_MAX_TERM_DAYS of the 船積期日（最終）,
the 保険責任開始 on the application day, and who may use it (中小企業区分 or 農林水産業区分).
"""

from datetime import timedelta

from flask import current_app
from wtforms import ValidationError

from nexi import fields
from nexi.conditions import When
from nexi.procedures.engine import Procedure
from nexi.procedures.insurance import _check, _target, common, completion

SME = "06"  # 保険種別コード of 中小企業・農林水産業輸出代金保険 (C.6)
# C.7: the reason the menu gives (nexi/blueprints/home/menus.py NEEDS["sme"]), a test keeps them equal
NOT_ELIGIBLE = "中小企業・農林水産業の要件を満たしていません"
BENEFICIARIES = [("insured", "被保険者"), ("pledgee", "質権者")]
PLEDGEE = When("beneficiary", "pledgee")


def eligible(customer) -> bool:
    """9-4 IF: a 保険利用者 with 中小企業区分 or 農林水産業区分."""
    return bool(customer.is_sme or customer.is_agri)


def max_term_days() -> int:
    return current_app.config["NEXI_SME_MAX_TERM_DAYS"]


class SmeMoneyForm(common.MoneyForm):
    """9-1 貨物・金額・決済 without the 付保 choice and the FOB価額 (船後 only)."""

    sections = [
        ("貨物", ["goods", "commodity"]),
        ("金額", ["currency", "contract_amount", "advance"]),
        ("船積", ["first_shipment_on", "last_shipment_on"]),
        ("決済", ["settlement_method", "lc_bank_code", "lc_confirmed", "settlement_form", "settlement_count",
                  "schedule", "usance_days", "foreign_currency_rider"]),
    ]  # fmt: skip
    cover = None  # 船後 only: nothing to choose (the checks read no "pre" in the answers)
    fob = None

    def validate_schedule(self, field):
        super().validate_schedule(field)
        last, limit = self.last_shipment_on.data, max_term_days()
        if last and any(entry.form.due_on.data and entry.form.due_on.data > last + timedelta(days=limit)
                        for entry in field.entries):  # fmt: skip
            raise ValidationError(f"決済期限は船積期日（最終）から{limit}日以内の日付を入力してください")


class SmeCoverForm(common.cover_form(SME)):
    """9-1 付保・確認: the 船後 付保率 (95/95, shown as chosen) and the 受取人 (9-4 IF)."""

    sections = [
        ("付保率（船後）", ["post_political", "post_commercial"]),
        ("受取人", ["beneficiary", "bank_name"]),
        ("個別保証枠・内諾", ["confirmation_number", "approval_number", "approval_on"]),
        ("担当者", ["contact_name", "contact_phone", "contact_email"]),
    ]
    pre_political = None
    pre_commercial = None
    beneficiary = fields.choice("受取人", BENEFICIARIES, radio=True)
    bank_name = fields.text("銀行名", 60, when=PLEDGEE, hint="受取人が質権者の場合に入力してください。")


def _initial(context) -> dict:
    values = common.initial(context)
    values[common.STEP_MONEY].pop("cover", None)
    values[common.STEP_COVER]["beneficiary"] = "insured"
    return values


def _details(values: dict, customer_id: int) -> dict:
    """The 受取人 kept with the policy (9-4 IF): 被保険者, or the 質権者 with its bank."""
    beneficiary = dict(BENEFICIARIES).get(values.get("beneficiary") or "insured", "被保険者")
    details = {"受取人": beneficiary}
    if values.get("beneficiary") == "pledgee" and values.get("bank_name"):
        details["銀行名"] = values["bank_name"]
    return {"details": details}


class SmeResultForm(completion.PolicyResultForm):
    """S.3 IF1: 保険責任開始日 proposed = the application day (9-4 IF)."""

    help_prefix = "shared.sme_result"
    product = SME
    liability_days = 0
    liability_from = fields.day("保険責任開始日", hint="申込日が入っています。")


SME_APPLICATION = Procedure(
    code="IF1",
    title="中小企業・農林水産業輸出代金保険 申込",
    section="9-1",
    chapter="insurance",
    path="sme",
    steps=common.steps(SME, money=SmeMoneyForm, cover=SmeCoverForm),
    describe=_target,
    check=_check(SME),
    initial=_initial,
    submitted=completion.submitted(SME),
    ended=completion.ended,
    complete=completion.complete(SME, extra=_details),
    result_form=SmeResultForm,
    eligible=eligible,
    ineligible=NOT_ELIGIBLE,
    pattern=2,
    intro=(
        "中小企業・農林水産業の保険利用者が、輸出契約の船積後の代金回収リスクを保険に付けるための申込みです"
        "（付保率は非常危険・信用危険とも95%です）。初回の船積みの前日までにお申し込みください。\n"
        "決済期限は船積期日（最終）から所定の日数以内としてください（超える場合は入力画面でお知らせします）。支払人が格付EE・EA・EM・EFの場合は、"
        "個別保証枠の確認管理番号が必要です（「個別保証枠取得（確認申請）」で保険種別「中小企業・農林水産業輸出代金保険」を選んで取得できます）。"
        "NEXIの審査後、保険証券番号・保険料・保険責任開始日（申込日）を「Web申込状況一覧」でお知らせします。"
    ),
)
