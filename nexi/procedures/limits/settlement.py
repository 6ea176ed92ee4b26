"""L03 決済通知 (DOMAIN.md 10-3), flow A: report that an insured receivable was paid. The settled
amount is recorded per 決済期限 (the chosen one, or the open ones in due order), the 使用額 it
covered is released and the policy's 状態 follows (nexi/policies.py). A 決済期限 with a loss
notice takes no 決済通知 (入金通知 instead); the policy's other ones still do.

As for L02 予約分, the 申込む hook locks the policy and checks that the amount still fits, so the
完了 that follows in the same transaction cannot fail.
"""

import re
from datetime import date
from decimal import Decimal

from wtforms import ValidationError

from nexi import applications, db, fields, masters, policies
from nexi.clock import today
from nexi.forms import NexiForm, Optional, Required
from nexi.models import Policy
from nexi.procedures.engine import Context, Findings, Procedure, Refused, Step
from nexi.procedures.limits import own
from nexi.procedures.limits.give_back import OwnChoiceField, minor
from nexi.text import amount_of, normalize_text

FULL, PART = "全額", "一部"


def instalment_label(row) -> str:
    return f"第{row.position}回 {own.japanese_day(row.due_on)}"


class InstalmentChoiceField(OwnChoiceField):
    """対象決済期限: blank means 「決済期限の早い順に充当」; one settled since is shown by its number."""

    def shown(self) -> str:
        if self.data in (None, ""):
            return "指定なし（決済期限の早い順に充当）"
        labels = {str(choice.value): choice.label for choice in self.choices}
        return labels.get(str(self.data), f"第{self.data}回")


def _policy_of(answers: dict, customer) -> Policy | None:
    return own.policy(customer.id, answers.get("policy_number")) if customer is not None else None


def _instalment_choices(form) -> list[tuple[str, str]]:
    row = _policy_of(form.answers, form.context.customer)
    if row is None:
        return []
    return [
        (
            str(item.position),
            f"{instalment_label(item)}（未決済額 {own.money(policies.outstanding(item), row.currency)}）",
        )
        for item in own.open_instalments(form.context.customer.id, own.policy_key(row))
    ]


class PolicyForm(NexiForm):
    policy_number = OwnChoiceField(
        "証券番号・枝番",
        validators=[Required("証券番号・枝番", choose=True)],
        options=own.settlement_choices,
        description="未決済の決済期限がある貴社の保険（有効・一部決済・事故）から選択してください。",
    )


class SettlementForm(NexiForm):
    """The 決済期限 settled (blank: in due order), 全額 or 一部, the 決済日 and the amount in the
    policy's currency: for 全額, the outstanding itself (prefilled, or taken when left blank)."""

    instalment = InstalmentChoiceField(
        "対象決済期限",
        validators=[Optional()],
        options=_instalment_choices,
        description="空欄の場合は、未決済の決済期限に早い順に充当します。",
    )
    settle_kind = fields.choice("決済区分", [(FULL, FULL), (PART, PART)], radio=True)
    settled_on = fields.day("決済日")
    amount = fields.amount("決済金額", currency=lambda form: getattr(form.policy(), "currency", None), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.amount.flags.nexi_required = True  # asked always: 全額 fills it in (validate)
        row = self.policy()
        if row is None:
            return
        left = self.outstanding()
        self.amount.description = (
            f"{row.currency}で入力してください（未決済額：{own.money(left, row.currency)}）。"
            "決済区分が「全額」の場合は、未決済額と同じ金額です。"
        )
        typed = any(isinstance(value, str) and value.strip() for value in self.amount.raw_data or [])
        if not typed and self.settle_kind.data in (None, "", FULL) and left:
            # prefilled with the outstanding, and 全額 left blank means exactly that: kept as the
            # answer (so the record shows it) and checked again at 申込む
            self.amount.data = Decimal(left).scaleb(-(masters.decimals(row.currency) or 0))
            self.amount.raw_data = [f"{self.amount.data:,}"]

    def policy(self) -> Policy | None:
        return _policy_of(self.answers, getattr(self.context, "customer", None))

    def outstanding(self) -> int:
        """The outstanding of the chosen 決済期限, or of all open ones without a loss notice."""
        row = self.policy()
        if row is None:
            return 0
        rows = own.open_instalments(self.context.customer.id, own.policy_key(row))
        if self.instalment.data:
            rows = [item for item in rows if str(item.position) == str(self.instalment.data)]
        return sum(policies.outstanding(item) for item in rows)

    def validate_settled_on(self, field):
        row = self.policy()
        if field.data is None:
            return
        if field.data > today():
            raise ValidationError("決済日は本日以前の日付を入力してください")
        if row is not None and field.data < row.first_shipment_on:
            raise ValidationError(
                f"決済日は初回船積日（{own.japanese_day(row.first_shipment_on)}）以降の日付を入力してください"
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        row = self.policy()
        if self.amount.errors or row is None or self.instalment.errors:
            return valid
        left = self.outstanding()
        shown = own.money(left, row.currency)
        typed = None if self.amount.data is None else minor(self.amount.data, masters.decimals(row.currency) or 0)
        if typed is None:
            self.amount.errors = ["決済金額を入力してください"]
        elif self.settle_kind.data == FULL and typed != left:
            self.amount.errors = [f"決済区分が「全額」の場合、決済金額は未決済額（{shown}）です"]
        elif typed > left:
            self.amount.errors = [f"決済金額は未決済額（{shown}）以下で入力してください"]
        return valid and not self.amount.errors


def _day_of(text) -> date | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", normalize_text(str(text or "")).replace("/", "-"))
    try:
        return date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        return None


def _plan(values: dict, customer_id: int) -> tuple[Policy, int | None, int, date]:
    """(the policy locked, the 決済期限's position or None, the amount in minor units, the 決済日)
    from the answers, checked against what is open now; Conflict when it no longer fits."""
    found = own.policy(customer_id, values.get("policy_number"))
    row = found and db.session().get(Policy, found.id, with_for_update=True, populate_existing=True)
    if row is None or row.state not in own.SETTLEABLE:
        raise applications.Conflict("この保険には決済通知ができません。", step="policy", field="policy_number")
    position = int(values["instalment"]) if str(values.get("instalment") or "").isdigit() else None
    targets = policies.open_instalments(row.id)
    if position is not None:
        targets = [item for item in targets if item.position == position]
    left = sum(policies.outstanding(item) for item in targets)
    if not targets:
        raise applications.Conflict("この決済期限には決済通知ができません。", step="settlement", field="instalment")
    typed = amount_of(values.get("amount"))
    amount = left if values.get("settle_kind") == FULL else minor(typed or 0, masters.decimals(row.currency) or 0)
    if not 0 < amount <= left:
        raise applications.Conflict(
            f"決済金額が未決済額（{own.money(left, row.currency)}）を超えています。", step="settlement", field="amount"
        )
    return row, position, amount, _day_of(values.get("settled_on")) or today()


def submitted(application, context: Context, first: bool) -> None:
    _plan(context.values, context.customer.id)  # locks the policy until the 完了 that follows


def complete(application, inputs: dict) -> dict:
    try:
        row, position, amount, day = _plan(application.answers(), application.customer_id)
    except applications.Conflict as conflict:
        raise Refused(str(conflict)) from None
    done = policies.settle(row.id, amount, day, position)
    own.forget()
    return {
        "証券番号・枝番": own.policy_key(row),
        "決済金額": own.money(amount, row.currency),
        "充当した決済期限": "、".join(
            f"{instalment_label(item.instalment)} {own.money(item.amount, row.currency)}" for item in done
        ),
        "保険の状態": row.state,
    }


def _describe(values: dict) -> tuple[str, str | None]:
    key = values.get("policy_number") or None
    return (f"証券番号・枝番 {key}" if key else "", key)


def _check(context: Context) -> Findings:
    findings = Findings()
    findings.inform("申し込むと、直ちに決済が記録され、決済された金額に応じて個別保証枠の使用額が減少します。")
    return findings


SETTLEMENT = Procedure(
    code="L03",
    title="決済通知",
    section="10-3",
    chapter="limits",
    path="settlement",
    steps=(Step("policy", "対象の保険", PolicyForm), Step("settlement", "決済の内容", SettlementForm)),
    describe=_describe,
    check=_check,
    reviewed=False,
    submitted=submitted,
    complete=complete,
    intro=(
        "保険を付けた輸出代金などが決済されたことを通知する手続きです。申し込むと直ちに決済が記録され、"
        "決済された金額に応じて個別保証枠の使用額が減少します。\n"
        "損失等発生通知を行った決済期限については、この手続きではなく入金通知を行ってください。"
    ),
)
