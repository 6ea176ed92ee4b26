"""A test-only procedure that uses every feature of the procedure engine (T01), and its twin (T02).

Declared by the `sample_app` fixture (tests/http/procedure/conftest.py), so the engine's tests do
not depend on any chapter's labels. T01's steps:

    手続きの流れ → 対象 (prefill, scoped choices, a multi-select condition, a deadline, a month)
    → 金額と決済 (money in its own currency and in an earlier step's, rows that follow 決済回数)
    → 追加情報 (only when 区分 includes "extra") → 確認 → 完了

It is flow R, or flow A when 処理 is 「自動」; its rules give an error, a warning and an info; one
application per 対象コード may be pending; 完了 returns a result. T02 is the same procedure for
管理者 only, on screen pattern 2: one declaration and one help topic.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlmodel import col, select
from wtforms import ValidationError

from nexi import db, fields
from nexi.clock import add_months
from nexi.conditions import When
from nexi.forms import NexiForm, Optional
from nexi.inputs import ScopedChoiceField
from nexi.models import Application, Status
from nexi.procedures.engine import Deadline, Exclusive, Findings, Procedure, Step
from nexi.rows import RowsField, rows_in_order

KINDS = [("basic", "基本"), ("extra", "追加情報あり"), ("note", "備考あり")]
MODES = [("review", "NEXI確認"), ("auto", "自動")]


def own_completed(form) -> list[tuple[str, str]]:
    """The customer's own completed applications: a choice computed from the customer (C.4)."""
    rows = db.session().exec(
        select(Application.number, Application.target)
        .where(Application.customer_id == form.context.customer.id, Application.status == Status.COMPLETED)
        .order_by(col(Application.number))
    )
    return [(number, f"{number} {target}") for number, target in rows]


class TargetForm(NexiForm):
    sections = [
        ("対象", ["insured", "contact", "target_code", "reference", "kinds", "note", "due", "month"]),
        ("処理", ["mode", "verdict"]),
    ]
    insured = fields.text("被保険者", 9)
    contact = fields.text("担当者", 40)
    target_code = fields.text("対象コード", 10, ascii_only=True)
    reference = ScopedChoiceField("参照する申込み", validators=[Optional()], options=own_completed)
    kinds = fields.checkboxes("区分", KINDS)
    note = fields.text("備考", 100, when=When("kinds", "note"))
    due = fields.day("提出期限")
    month = fields.month("予定年月", required=False)
    mode = fields.choice("処理", MODES, radio=True)
    verdict = fields.choice("判定", [("ok", "問題なし"), ("warn", "注意"), ("bad", "不可")], radio=True)


def _monthly(form, index: int) -> dict:
    """A new row's 決済期限: the end of each month after today (computed on the server)."""
    return {"due_date": add_months(date(2027, 1, 28), index).isoformat()}


class PaymentRow(NexiForm):
    due_date = fields.day("決済期限", hint=None)
    amount = fields.amount("金額", currency="currency", hint=None)


class MoneyForm(NexiForm):
    currency = fields.currency("通貨")
    contract = fields.amount("契約金額", currency="currency")
    advance = fields.amount("前受金", currency="currency", required=False, zero=True)
    fee = fields.amount("手数料（円）", currency=lambda form: "JPY")
    count = fields.whole_number("決済回数", 1, 60)
    schedule = RowsField(PaymentRow, "決済スケジュール", count="count", prefill=_monthly)

    def validate_schedule(self, field):
        total = sum((entry.form.amount.data or Decimal(0)) for entry in field.entries)
        if field.entries and all(entry.form.amount.data for entry in field.entries):
            if self.contract.data is not None and total != self.contract.data:
                raise ValidationError("決済スケジュールの金額の合計が契約金額と一致しません")
        rows_in_order(field, "due_date", "決済期限")


class ExtraForm(NexiForm):
    extra = fields.text("追加情報", 200, multiline=True)


def initial(context) -> dict:
    """Prefill: 被保険者 from the customer, 担当者 from the user."""
    return {"target": {"insured": context.customer.code, "contact": context.user.name}}


def check(context) -> Findings:
    findings = Findings()
    verdict = context.values.get("verdict")
    if verdict == "bad":
        findings.error("target", "verdict", "判定が「不可」の申込みはできません")
    if verdict == "warn":
        findings.warn("判定が「注意」です。内容をご確認ください。")
    findings.inform("この手続きはテスト用です。")
    return findings


def complete(application, inputs: dict) -> dict:
    return {"結果コード": inputs.get("result_code", "AUTO-" + application.number[-6:])}


def _due(values: dict) -> date | None:
    try:
        return date.fromisoformat(values.get("due", ""))
    except ValueError:
        return None


SAMPLE = Procedure(
    code="T01",
    title="テスト手続",
    section="T-1",
    chapter="testing",
    path="sample",
    steps=(
        Step("target", "対象", TargetForm),
        Step("money", "金額と決済", MoneyForm),
        Step("extra", "追加情報", ExtraForm, when=When("kinds", "extra")),
    ),
    describe=lambda values: (f"テスト {values.get('target_code', '')}", values.get("target_code") or None),
    check=check,
    initial=initial,
    exclusive=(
        Exclusive(
            key=lambda values: values.get("target_code") or None,
            message="対象コード「{key}」のテスト手続は、すでに申込み中です",
            step="target",
            field="target_code",
        ),
    ),
    deadline=Deadline(due=_due, warning="提出期限（{due}）を過ぎています。期限超過として扱われます。"),
    reviewed=lambda values: values.get("mode") != "auto",
    complete=complete,
    intro="テスト用の手続きです。",
)
TWIN = replace(SAMPLE, code="T02", title="テスト手続（管理者）", path="sample-admin", admin_only=True, pattern=2)

HELP = """
chapter = "テスト"

[topics."T01"]
title = "テスト手続"
shared = ["shared.sample"]
text = "テスト用の手続きです。"

[topics."T01".fields]
insured = "被保険者の保険利用者コードです。"
contact = "担当者の氏名です。"
target_code = "対象のコードです。"

[topics."T02"]
title = "テスト手続（管理者）"
shared = ["shared.sample"]
text = "管理者用のテスト手続きです。"

[topics."T02".fields]
insured = "被保険者の保険利用者コードです。"
contact = "担当者の氏名です。"
target_code = "対象のコードです。"

[topics."shared.sample"]
title = "テスト手続（共通項目）"
text = "テスト手続の共通項目です。"

[topics."shared.sample".fields]
reference = "参照する申込みです。"
kinds = "区分です。"
note = "備考です。"
due = "提出期限です。"
month = "予定年月です。"
mode = "処理の方法です。"
verdict = "判定です。"
currency = "通貨です。"
contract = "契約金額です。"
advance = "前受金です。"
fee = "手数料です。"
count = "決済回数です。"
schedule = "決済スケジュールです。"
extra = "追加情報です。"
"""

# Valid answers for each step (the target step's prefill comes from the demo user).
ANSWERS = {
    "target": {"insured": "123456789", "contact": "山田 太郎", "target_code": "X-1", "kinds": "basic", "due": "2099-12-31", "month": "2027-03", "mode": "review",
               "verdict": "ok"},
    "money": {"currency": "USD", "contract": "1,000.50", "advance": "0", "fee": "3000", "count": "2",
              "schedule-0-due_date": "2027-01-28", "schedule-0-amount": "500.25",
              "schedule-1-due_date": "2027-02-28", "schedule-1-amount": "500.25"},
}  # fmt: skip
