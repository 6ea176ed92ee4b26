"""NEXI's 完了 of IA2 (DOMAIN.md 9-5, S.3 I*2, §10): 追加/返還保険料 (the §6 tariff's difference
proposed), 重大な変更 acknowledged where it applies, and the change applied to the policy with a new
変更履歴 entry and its limit effects — an increment's earmark becomes 使用額, a 金額減額 releases the
使用額 of the credit-covered decrease, a 解約 releases all of it.
"""

from flask import g, has_request_context

from nexi import db, fields, limits, masters, policies
from nexi.clock import now, today
from nexi.forms import Acknowledge, NexiForm, Optional
from nexi.models import Buyer, Instalment, Policy, PolicyChange, PolicyState
from nexi.procedures.engine import Refused
from nexi.procedures.insurance import change_schedule
from nexi.procedures.insurance.change_forms import (
    CANCEL,
    CHANGEABLE,
    CURRENCY,
    DECREASE,
    DESTINATION,
    INCREASE,
    KIND_LABELS,
    LC_METHODS,
    PAYER,
    SETTLEMENT,
    SHIPMENT,
    kinds_of,
)
from nexi.procedures.insurance.change_values import (
    changed_values,
    convert,
    credit_refused,
    currency_amount,
    increment,
    load,
    material,
    needs_confirmation,
    new_amount,
    new_payer,
    parse_day,
    payer_moves,
    policy_values,
    premium,
)
from nexi.procedures.insurance.checks import japanese
from nexi.procedures.insurance.policy_rows import parties
from nexi.procedures.limits import own
from nexi.text import bounded_int

PREMIUM_LIMIT = 10**16 - 1  # JPY figures: at most 16 digits (C.5)


def _policy(answers: dict, customer_id: int | None = None) -> Policy | None:
    """The policy the answers name with its parties and 変更履歴 (change.load): NEXI staff read any;
    the 完了 scopes it by the application's customer. Read once per request."""
    number, branch = answers.get("policy_number") or "", answers.get("branch") or ""
    code = (answers.get("new_payer_code") or "") if PAYER in kinds_of(answers) else ""
    if customer_id is not None or not has_request_context():
        return load(number, branch, customer_id, code)
    store = g.setdefault("changed_policies", {})
    if (number, branch) not in store:
        store[(number, branch)] = load(number, branch, payer_code=code)
    return store[(number, branch)]


def proposed_premium(answers: dict) -> int:
    """The §6 tariff's difference between the policy after and before the change (0 for a 解約 or
    where the tariff gives no figure): NEXI's proposal of the 追加 (> 0) / 返還 (< 0) 保険料."""
    policy = _policy(answers)
    if policy is None or CANCEL in kinds_of(answers):
        return 0
    buyers = parties(policy)
    before = premium(policy, buyers, policy_values(policy, buyers))
    after = premium(policy, buyers, changed_values(policy, buyers, answers))
    return after.total - before.total if before is not None and after is not None else 0


class ChangeResultForm(NexiForm):
    """S.3 I*2: the 追加/返還保険料, signed (negative = 返還)."""

    help_prefix = "shared.insurance_result"
    sections = [("追加/返還保険料", ["premium_change"])]
    premium_change = fields.whole_number(
        "追加/返還保険料（円）",
        -PREMIUM_LIMIT,
        PREMIUM_LIMIT,
        hint="料率表による差額が入っています。返還の場合はマイナス（例：-12000）で入力してください。",
    )

    @classmethod
    def defaults(cls, answers: dict, application) -> dict:
        return {"premium_change": str(proposed_premium(answers))}


class MaterialChangeResultForm(ChangeResultForm):
    """A 重大な変更 must be acknowledged before it is applied."""

    sections = [("追加/返還保険料", ["premium_change"]), ("重大な変更", ["material_ack"])]
    material_ack = Acknowledge("重大な変更であることを確認しました", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.material_ack.data:
            self.material_ack.errors = ["重大な変更に当たるため、確認のチェックを入れてください"]
            valid = False
        return valid


def result_form(answers: dict):
    policy = _policy(answers)
    if policy is not None and material(policy, increment(policy, answers)):
        return MaterialChangeResultForm
    return ChangeResultForm


def staff_facts(answers: dict) -> list[tuple[str, str]]:
    """Beside the 完了 form: the policy as it stands and whether the change is 重大."""
    policy = _policy(answers)
    if policy is None:
        return []
    added = increment(policy, answers)
    payer = new_payer(answers)
    newcomer = [("新支払人", f"{payer.code} {payer.name_en}（格付{payer.rating}）")] if payer is not None else []
    return [
        ("証券番号・枝番", own.policy_key(policy)),
        *newcomer,
        ("状態", policy.state),
        ("現在の契約金額", own.money(policy.contract_amount, policy.currency)),
        ("信用危険てん補対象の残額", own.money(policy.credit_outstanding, policy.currency)),
        ("重大な変更", "該当（当初の契約金額の10%以上の累計増額）" if material(policy, added) else "該当しない"),
    ]


def _spread(instalments: list[Instalment], change: int) -> None:
    """A 金額増額 adds to the last 決済期限; a 金額減額 takes from the last ones first, never below
    what was settled on them (the 決済スケジュール keeps summing to 契約金額 − 前受金)."""
    if not instalments:
        return
    ordered = sorted(instalments, key=lambda row: row.position)
    if change > 0:
        ordered[-1].amount += change
        return
    left = -change
    for row in reversed(ordered):
        part = min(left, row.amount - row.settled)
        row.amount -= part
        left -= part
        if left == 0:
            return
    raise Refused("決済済みの金額を下回る減額はできません。差戻しまたは不承認としてください。")


def _restate(policy: Policy, rows: list[Instalment], answers: dict, before: dict, after: dict) -> None:
    """通貨変更: the policy's amounts restated in the new currency in proportion to the 新契約金額
    (floored; the 決済スケジュール's remainder on its last 決済期限, so it sums to 契約金額 − 前受金)."""
    moved = currency_amount(answers)
    if moved is None or moved[0] == policy.currency:
        raise Refused("新通貨と新契約金額を確認してください。差戻しまたは不承認としてください。")
    if policy.used_jpy or policy.credit_outstanding:
        raise Refused("個別保証枠を使用している保険は通貨変更できません。差戻しまたは不承認としてください。")
    currency, amount = moved
    names = ("currency", "contract_amount", "advance", "fob", "value_pre", "value_post")
    before |= {name: getattr(policy, name) for name in names}
    for row in rows:
        row.amount, row.settled = convert(row.amount, policy, amount), convert(row.settled, policy, amount)
    policy.advance = convert(policy.advance, policy, amount)
    policy.fob = convert(policy.fob, policy, amount) if policy.fob is not None else None
    policy.value_pre = convert(policy.value_pre, policy, amount) if policy.value_pre is not None else None
    policy.currency, policy.contract_amount = currency, amount
    policy.value_post = amount - policy.advance
    if rows:
        last = max(rows, key=lambda row: row.position)
        last.amount += policy.value_post - sum(row.amount for row in rows)
    after |= {name: getattr(policy, name) for name in names}


def _repay(policy: Policy, answers: dict, before: dict, after: dict) -> tuple[bool, bool]:
    """支払人・決済条件変更: the new 支払人, 決済方法 and ユーザンス; a 不可 支払人's 信用付保率 becomes 0
    (9-3). Returns whether the limit moves to the new 支払人's 確認 (earmarked at 申込む) and whether
    the old 使用額 is released."""
    buyers = parties(policy)
    payer = new_payer(answers)
    if answers.get("new_payer_code") and payer is None:
        raise Refused("新支払人が海外商社名簿に見つかりません。差戻しまたは不承認としてください。")
    moves = payer_moves(policy, buyers, answers)
    keeps = needs_confirmation(policy, buyers, answers)  # judged before the policy is changed
    if payer is not None and payer.id != policy.payer_id:
        before["payer_code"], after["payer_code"] = buyers[policy.payer_id].code, payer.code
        policy.payer_id = payer.id
    method, usance = answers.get("new_settlement_method") or "", bounded_int(answers.get("new_usance_days"), 0, 729)
    if method and method != policy.settlement_method:
        before["settlement_method"], after["settlement_method"] = policy.settlement_method, method
        policy.settlement_method = method
        if method not in LC_METHODS:  # no L/C any more: nor its bank
            policy.lc_bank_id, policy.lc_confirmed = None, False
    if usance is not None and usance != policy.usance_days:
        before["usance_days"], after["usance_days"] = policy.usance_days, usance
        policy.usance_days = usance
    if payer is not None and credit_refused(payer) and (policy.post_commercial or policy.pre_commercial):
        before["post_commercial"], after["post_commercial"] = format(policy.post_commercial, "f"), "0"
        policy.post_commercial = 0
        if policy.pre_commercial is not None:
            before["pre_commercial"], after["pre_commercial"] = format(policy.pre_commercial, "f"), "0"
            policy.pre_commercial = 0
    return moves, moves or (not keeps and bool(policy.used_jpy or policy.credit_outstanding))


def complete(application, inputs: dict) -> dict:
    answers = application.answers()
    session = db.session()
    found = _policy(answers, application.customer_id)
    if found is None:
        raise Refused("対象の保険が見つかりません。")
    policy = session.get(Policy, found.id, with_for_update=True, populate_existing=True)
    if policy.state not in CHANGEABLE:
        raise Refused(f"保険の状態が「{policy.state}」のため変更できません。差戻しまたは不承認としてください。")
    if policies.loss_notice_exists(policy.id):
        raise Refused("損失等発生通知のある保険は変更できません。差戻しまたは不承認としてください。")
    charge = bounded_int(str(inputs.get("premium_change", "")).replace(",", ""), -PREMIUM_LIMIT, PREMIUM_LIMIT)
    if charge is None:
        raise Refused("追加/返還保険料を入力してください。")
    kinds = kinds_of(answers)
    decimals = masters.decimals(policy.currency) or 0
    added = increment(policy, answers)
    is_material = material(policy, added)
    before, after = {}, {}
    rows = policies.instalments_of(policy.id)
    amount = new_amount(policy, answers)
    if amount is not None:
        if (
            INCREASE in kinds
            and amount <= policy.contract_amount
            or DECREASE in kinds
            and amount >= policy.contract_amount
        ):
            raise Refused("新契約金額が現在の契約金額と合いません。差戻しまたは不承認としてください。")
        change = amount - policy.contract_amount
        before |= {"contract_amount": policy.contract_amount, "value_post": policy.value_post}
        _spread(rows, change)
        policy.contract_amount, policy.value_post = amount, policy.value_post + change
        after |= {"contract_amount": policy.contract_amount, "value_post": policy.value_post}
    if CURRENCY in kinds:
        _restate(policy, rows, answers, before, after)
    if DESTINATION in kinds:
        before["destination"], after["destination"] = policy.destination, answers["new_destination"]
        policy.destination = answers["new_destination"]
    if SHIPMENT in kinds:
        before["last_shipment_on"] = policy.last_shipment_on.isoformat()
        after["last_shipment_on"] = answers["new_last_shipment_on"]
        policy.last_shipment_on = parse_day(answers["new_last_shipment_on"])
    if SETTLEMENT in kinds:
        position = int(answers["extended_instalment"])
        moved = next((row for row in rows if row.position == position), None)
        if moved is None or policies.outstanding(moved) == 0:
            raise Refused(f"第{position}回の決済期限は決済済みのため延長できません。差戻しまたは不承認としてください。")
        before["instalments"] = {str(position): moved.due_on.isoformat()}
        after["instalments"] = {str(position): answers["new_due_on"]}
        moved.due_on = parse_day(answers["new_due_on"])
        before["period_to"] = policy.period_to.isoformat()
        policy.period_to = max(row.due_on for row in rows)
        after["period_to"] = policy.period_to.isoformat()
    moves, released = False, False
    if PAYER in kinds:
        moves, released = _repay(policy, answers, before, after)
        rows = change_schedule.replace(policy, rows, answers, before, after)
    if CANCEL in kinds:
        before["state"], after["state"] = policy.state, PolicyState.CANCELLED
        after["cancelled_on"] = answers["cancelled_on"]
        policy.state = PolicyState.CANCELLED
    policy.version += 1
    policy.updated_at = now()
    session.flush()  # the limit functions lock and read the policy afresh
    if INCREASE in kinds:
        limits.use(application.id, policy)  # the increment's earmark, if it took one, becomes 使用額
    if DECREASE in kinds and policy.credit_outstanding:
        limits.release_use(policy.id, min(before["contract_amount"] - amount, policy.credit_outstanding), decimals)
    if CANCEL in kinds:
        limits.release_use(policy.id, None, decimals)
    if released:  # the old 確認's 使用額 goes back; the new 支払人's earmark becomes 使用額
        policy = limits.release_use(policy.id, None, decimals)
        policy.confirmation_id = None
        if limits.use(application.id, policy) is None and moves:
            raise Refused("新支払人の確認からの引当てがありません。差戻しまたは不承認としてください。")
    policy = session.get(Policy, policy.id)
    policies.refresh_state(policy, rows)
    payer = parties(policy).get(policy.payer_id) or session.get(Buyer, policy.payer_id)
    if payer is not None:
        payer.last_activity_on = today()  # S.5: the payer's dormancy clock restarts
    labels = "・".join(KIND_LABELS[kind] for kind in kinds)
    session.add(
        PolicyChange(
            policy_id=policy.id, application_id=application.id, at=now(), kinds=labels, before=before, after=after,
            premium_change_jpy=charge, material=is_material,
        )
    )  # fmt: skip
    own.forget()
    return _result(policy, labels, before, after, charge, is_material)


def _result(policy: Policy, labels: str, before: dict, after: dict, premium: int, is_material: bool) -> dict:
    """What the customer reads in Web申込状況一覧: each changed item, 変更前 → 変更後, and the premium."""
    shown = {"証券番号・枝番": own.policy_key(policy), "変更種別": labels}
    if "currency" in after:
        shown["通貨"] = f"{before['currency']} → {after['currency']}"
    if "contract_amount" in after:
        old_currency = before.get("currency", policy.currency)
        shown["契約金額"] = (
            f"{own.money(before['contract_amount'], old_currency)} → {own.money(after['contract_amount'], policy.currency)}"
        )
    if "payer_code" in after:
        shown["支払人"] = f"{before['payer_code']} → {after['payer_code']}"
    if "settlement_method" in after:
        shown["決済方法"] = f"{before['settlement_method']} → {after['settlement_method']}"
    if "usance_days" in after:
        shown["ユーザンス"] = f"{before['usance_days']}日 → {after['usance_days']}日"
    if "post_commercial" in after:
        shown["信用危険付保率"] = f"{before['post_commercial']}% → 0%（非常危険のみ）"
    if "destination" in after:
        countries = masters.countries()

        def name(code):
            return countries[code].name_ja if code in countries else code

        shown["仕向国"] = f"{name(before['destination'])} → {name(after['destination'])}"
    if "last_shipment_on" in after:
        old, new = parse_day(before["last_shipment_on"]), parse_day(after["last_shipment_on"])
        shown["船積期日（最終）"] = f"{japanese(old)} → {japanese(new)}"
    for position, due in after.get("instalments", {}).items():
        old, new = parse_day(before["instalments"][position]), parse_day(due)
        shown[f"決済期限（第{position}回）"] = f"{japanese(old)} → {japanese(new)}"
    if "schedule" in after:
        shown["決済スケジュール"] = "、".join(
            f"{japanese(parse_day(day))} {own.money(amount, policy.currency)}" for day, amount in after["schedule"]
        )
    if "state" in after:
        shown["状態"] = f"{before['state']} → {after['state']}"
        shown["解約日"] = japanese(parse_day(after["cancelled_on"]))
    if premium > 0:
        shown["追加保険料"] = f"{premium:,}円"
    elif premium < 0:
        shown["返還保険料"] = f"{-premium:,}円"
    else:
        shown["追加/返還保険料"] = "なし"
    if is_material:
        shown["重大な変更"] = "該当"
    return shown
