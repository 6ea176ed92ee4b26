"""The 決済スケジュール a 支払人・決済条件変更 enters again (DOMAIN.md 9-5): rows for the part not yet
settled only. Their total is the policy's unsettled outstanding, their dates ascending and not
before the 初回船積日; 完了 replaces the unsettled 決済期限 with them, after the ones settled (a
partly settled 決済期限 keeps what was settled on it and closes), so the schedule still sums to
契約金額 − 前受金.
"""

from decimal import ROUND_FLOOR, Decimal

from wtforms import ValidationError

from nexi import db, fields, masters, policies
from nexi.forms import NexiForm
from nexi.models import Instalment, LossNotice, Policy
from nexi.procedures.engine import Refused
from nexi.procedures.limits import own
from nexi.rows import rows_in_order
from nexi.text import amount_of, bounded_int
from nexi.text import iso_day as parse_day


def _policy_currency(row_form) -> str | None:
    parent = getattr(row_form, "parent", None)
    policy = parent.policy() if parent is not None and hasattr(parent, "policy") else None
    return policy.currency if policy else None


class ChangePaymentRow(NexiForm):
    due_on = fields.day("決済期限", hint=None)
    amount = fields.amount("金額", currency=_policy_currency, hint=None)


def _instalments(form, policy: Policy) -> list[Instalment]:
    """The policy's 決済期限, read once per form (every new row's prefill and the check ask)."""
    cached = getattr(form, "_schedule_rows", None)
    if cached is None or cached[0] != policy.id:
        cached = (policy.id, policies.instalments_of(policy.id))
        form._schedule_rows = cached
    return cached[1]


def _outstanding(rows: list[Instalment]) -> int:
    """What is not yet settled on these 決済期限 (minor units)."""
    return sum(policies.outstanding(row) for row in rows)


def prefill(form, index: int) -> dict:
    """A new row: the unsettled 決済期限 as they are when the count is theirs, else equal shares of
    the outstanding (rounded down, the remainder on the last row), dates left to the user."""
    policy = form.policy()
    count = bounded_int(form.answer("new_settlement_count"), 1, 60)
    if policy is None or count is None:
        return {}
    places = masters.decimals(policy.currency) or 0
    rows = _instalments(form, policy)
    open_rows = [row for row in rows if policies.outstanding(row) > 0]
    if len(open_rows) == count:
        row = open_rows[index]
        return {"due_on": row.due_on.isoformat(), "amount": f"{Decimal(policies.outstanding(row)).scaleb(-places):,}"}
    total, unit = Decimal(_outstanding(rows)).scaleb(-places), Decimal(1).scaleb(-places)
    share = (total / count).quantize(unit, rounding=ROUND_FLOOR)
    amount = total - share * (count - 1) if index == count - 1 else share
    return {"amount": f"{amount:,.{places}f}"}


def check(form, field) -> None:
    """The rows as a whole: ascending, from the 初回船積日 on, summing to the outstanding."""
    policy = form.policy()
    rows_in_order(field, "due_on", "新決済スケジュールの決済期限")
    if policy is None:
        return
    days = [entry.form.due_on.data for entry in field.entries]
    if any(day and day < policy.first_shipment_on for day in days):
        raise ValidationError(
            f"新決済スケジュールの決済期限は初回船積日（{own.japanese_day(policy.first_shipment_on)}）以降の日付を入力してください"
        )
    amounts = [entry.form.amount.data for entry in field.entries]
    if not amounts or any(amount is None for amount in amounts):
        return
    places = masters.decimals(policy.currency) or 0
    left = _outstanding(_instalments(form, policy))
    if sum(int(Decimal(amount).scaleb(places)) for amount in amounts) != left:
        raise ValidationError(
            f"新決済スケジュールの金額の合計は、未決済額の合計（{own.money(left, policy.currency)}）としてください"
        )


def rows_of(answers: dict, currency: str) -> list[tuple]:
    """The new rows from the answers: (決済期限, amount in minor units)."""
    places = masters.decimals(currency) or 0
    found = []
    for row in answers.get("new_schedule") or []:
        day, amount = parse_day(row.get("due_on")), amount_of(row.get("amount"))
        if day is None or amount is None:
            raise Refused("新決済スケジュールを確認してください。差戻しまたは不承認としてください。")
        found.append((day, int(Decimal(amount).scaleb(places))))
    return found


def replace(policy: Policy, rows: list[Instalment], answers: dict, before: dict, after: dict) -> list[Instalment]:
    """完了: the unsettled 決済期限 replaced by the new rows (judged again: the outstanding may have
    moved since 申込む); the policy's 決済期限 in due order afterwards."""
    new = rows_of(answers, policy.currency)
    left = _outstanding(rows)
    if not new or sum(amount for _day, amount in new) != left:
        raise Refused("新決済スケジュールの合計が未決済額と合いません。差戻しまたは不承認としてください。")
    session = db.session()
    before["schedule"] = [[row.due_on.isoformat(), row.amount] for row in rows]
    kept = []
    for row in sorted(rows, key=lambda item: item.position):
        if row.settled > 0:
            row.amount = row.settled  # closed at what was settled on it
            kept.append(row)
    reusable = [row for row in rows if row.settled == 0]
    # a 差戻し A01's notice names its 決済期限 by position and is written afresh at its next 申込む
    stale = [row.id for row in reusable]
    if stale:
        session.execute(LossNotice.__table__.delete().where(LossNotice.__table__.c.instalment_id.in_(stale)))
    for row in reusable[len(new) :]:
        session.delete(row)
    for index, row in enumerate(reusable[: len(new)]):  # out of the way of (policy, position) first
        row.position = -1 - index
    session.flush()
    position = max((row.position for row in kept), default=0)
    result = list(kept)
    for index, (day, amount) in enumerate(new):
        position += 1
        row = reusable[index] if index < len(reusable) else Instalment(policy_id=policy.id, position=position,
                                                                         due_on=day, amount=amount)  # fmt: skip
        row.position, row.due_on, row.amount, row.settled, row.settled_on = position, day, amount, 0, None
        session.add(row)
        result.append(row)
    session.flush()
    after["schedule"] = [[row.due_on.isoformat(), row.amount] for row in result]
    before["period_to"] = policy.period_to.isoformat()
    policy.period_to = max(row.due_on for row in result)
    after["period_to"] = policy.period_to.isoformat()
    return sorted(result, key=lambda item: (item.due_on, item.position))
