"""完了 of L01 (DOMAIN.md 10-1, S.3): NEXI enters the 確認額; the system assigns the 確認管理番号,
fixes the 換算レート of the approval day and reserves the 確認額円 on the buyer's 個別保証枠."""

from decimal import Decimal

from wtforms import ValidationError

from nexi import fields, limits, masters
from nexi.clock import today
from nexi.forms import NexiForm
from nexi.procedures.buyers.rules import find
from nexi.procedures.engine import Refused
from nexi.sequences import next_value
from nexi.text import amount_of


def japanese_day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class ConfirmationResultForm(NexiForm):
    """S.3 L01: the 確認額 (at most the amount applied for; the system checks the 残高)."""

    help_prefix = "shared.staff_result"
    confirmed_amount = fields.amount(
        "確認額", currency=lambda form: form.answers.get("currency"), hint="確認申請金額以下で入力してください。"
    )

    @staticmethod
    def defaults(answers: dict, _application) -> dict:
        return {"confirmed_amount": answers.get("amount")}

    def validate_confirmed_amount(self, field):
        requested = amount_of(self.answers.get("amount"))
        if field.data is not None and requested is not None and field.data > requested:
            raise ValidationError("確認額は確認申請金額以下で入力してください")


def minor(amount: Decimal, decimals: int) -> int:
    """An amount in whole minor units of its currency (nexi/models/contract.py)."""
    return int(Decimal(amount).scaleb(decimals))


def complete_confirmation(application, inputs: dict) -> dict:
    """The 確認 (10-1): 確認額 ≤ requested and ≤ the buyer's 残高, valid 3 months from today."""
    values = application.answers()
    buyer = find(values.get("buyer_code"))
    if buyer is None:
        raise ValueError("the buyer is no longer registered")
    currency = values["currency"]
    decimals = masters.decimals(currency)
    requested = amount_of(values.get("amount"))
    amount = amount_of(inputs.get("confirmed_amount"))
    if requested is None or amount is None or not 0 < amount <= requested:
        raise Refused("確認額は0より大きく、確認申請金額以下で入力してください。")
    day = today()
    rate = masters.currencies(day)[currency].rate
    try:
        confirmation = limits.approve(
            number=f"K{day.year}{next_value(f'confirmation:{day.year}'):06d}", customer_id=application.customer_id,
            buyer_id=buyer.id, application_id=application.id, product=values["product"], currency=currency,
            decimals=decimals, amount=minor(amount, decimals), rate=rate, approved_on=day,
        )  # fmt: skip
    except limits.LimitError as refused:
        raise Refused(
            f"確認額が支払人の個別保証枠の残高を超えています。確認額を減らしてください。（{refused}）"
        ) from None
    buyer.last_activity_on = day  # S.5: the buyer's dormancy clock restarts
    return {
        "確認管理番号": confirmation.number,
        "確認額": f"{currency} {amount:,.{decimals}f}",
        "有効期限": japanese_day(confirmation.valid_until),
    }
