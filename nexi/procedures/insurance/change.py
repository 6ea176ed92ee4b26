"""IA2 貿易一般保険（個別） 変更 (DOMAIN.md 9-5), flow R: the rules of a 変更 and its 申込む / 取下げ.

The policy is read as IA1's answers (change_values.py), the change applied to them, and 9-3 run
again on the result with IA1's own checks (checks.acceptance) for the kinds whose new values it
judges (金額増額 and 通貨変更: 案件枠; 仕向地変更: the countries; 船積期日延長 and 決済期日延長:
最長ユーザンス; 支払人・決済条件変更: all of 9-3 on the new 支払人); its messages are shown at the IA2
field that caused them. A credit-covered increment under 個別保証枠, and a new 支払人 whose credit
cover needs one, quote a 確認 and are earmarked at 申込む (10); 取下げ / 不承認 give it back.
"""

from datetime import date

from nexi import limits, masters, policies
from nexi.applications import Conflict
from nexi.clock import JST, add_months, now, today
from nexi.estimate import LIMIT_PRODUCTS
from nexi.models import Policy
from nexi.models.contract import OPEN_CONFIRMATION
from nexi.procedures.engine import Context, Deadline, Exclusive, Findings
from nexi.procedures.insurance import checks
from nexi.procedures.insurance.change_forms import (
    CANCEL,
    CURRENCY,
    DECREASE,
    DESTINATION,
    KIND_LABELS,
    PAYER,
    RECHECKED,
    STEP_CONTENT,
    STEP_TARGET,
    chosen_policy,
    kinds_of,
    policy_key,
)
from nexi.procedures.insurance.change_values import (
    changed_values,
    increment,
    material,
    moved_amount,
    needs_confirmation,
    new_amount,
    new_payer,
    parse_day,
    payer_moves,
)
from nexi.procedures.insurance.policy_rows import parties
from nexi.procedures.limits import own

# 9-3's messages, from IA1's fields to where IA2 asks (or to the policy itself)
_AT = {"approval_number": (STEP_CONTENT, "approval_number"), "approval_on": (STEP_CONTENT, "approval_on")}


def _recheck(findings: Findings, policy: Policy, buyers, values: dict, customer_id: int) -> None:
    kinds = kinds_of(values)
    after = changed_values(policy, buyers, values)
    after |= {"approval_number": values.get("approval_number") or "", "approval_on": values.get("approval_on") or ""}
    # the increment's 確認 is judged below, and 申込期限 (初回船積日) is the 申込's, not a 変更's
    after |= {"post_commercial": "0", "pre_commercial": "0" if after["pre_commercial"] else ""}
    after.pop("first_shipment_on")
    found = checks.acceptance(after, policy.product, customer_id)
    for fields_ in found.errors.values():
        for name, messages in fields_.items():
            if name in _AT:
                step, field = _AT[name]
            elif name == "payer_code" and PAYER in kinds:
                step, field = STEP_CONTENT, "new_payer_code"
            elif name == "settlement_method" and PAYER in kinds:
                step, field = STEP_CONTENT, "new_settlement_method"
            elif name in ("destination", "settlement_method") and DESTINATION in kinds:
                step, field = STEP_CONTENT, "new_destination"
            else:
                step, field = STEP_TARGET, "policy_number"
            for message in messages:
                findings.error(step, field, message)
    findings.warnings.extend(found.warnings)


def _confirmation(findings: Findings, policy: Policy, values: dict, customer_id: int, application_id, on: date,
                  *, payer_id: int, needed: int, missing: str, short: str):  # fmt: skip
    """The increment (or a new 支払人's credit-covered outstanding) needs the customer's own 確認 of
    that 支払人, the product and currency, open and not expired (as of the first 申込む), whose 残額
    covers `needed` (10)."""
    number = values.get("confirmation_number")
    if not number:
        findings.error(STEP_CONTENT, "confirmation_number", missing)
        return
    confirmation = checks.own_confirmation(number, customer_id)
    held = checks.own_earmark(application_id, confirmation.id) if confirmation else 0
    problem = None
    if confirmation is None:
        problem = f"確認管理番号「{number}」の確認が見つかりません"
    elif confirmation.buyer_id != payer_id:
        problem = "確認管理番号の確認は、支払人が異なります"
    elif confirmation.product != policy.product:
        problem = "確認管理番号の確認は、保険種別が異なります"
    elif confirmation.currency != policy.currency:
        problem = f"確認管理番号の確認は、通貨が異なります（確認の通貨：{confirmation.currency}）"
    elif not held and (confirmation.state not in OPEN_CONFIRMATION or confirmation.valid_until < on):
        problem = f"確認管理番号「{confirmation.number}」の確認は有効期限切れまたは使用済みのため使用できません"
    elif limits.remaining(confirmation) + held < needed:
        problem = short
    if problem:
        findings.error(STEP_CONTENT, "confirmation_number", problem)


def check(context: Context) -> Findings:
    findings = Findings()
    values = context.values
    policy = chosen_policy(values, context.customer)
    if policy is None:
        return findings
    if policies.loss_notice_exists(policy.id):
        findings.error(STEP_TARGET, "policy_number", "損失等発生通知のある保険は変更できません")
        return findings
    kinds = kinds_of(values)
    buyers = parties(policy)
    if any(kind in kinds for kind in RECHECKED):
        _recheck(findings, policy, buyers, values, context.customer.id)
    added = increment(policy, values)
    if added and needs_confirmation(policy, buyers):
        on = checks.first_submitted_on(context.application_id) or today()
        _confirmation(findings, policy, values, context.customer.id, context.application_id, on,
                      payer_id=policy.payer_id, needed=added, short="確認の残額が増額分に足りません",
                      missing="信用危険をてん補している保険の金額増額には、個別保証枠の確認管理番号が必要です")  # fmt: skip
    if PAYER in kinds and payer_moves(policy, buyers, values):
        payer = new_payer(values)
        on = checks.first_submitted_on(context.application_id) or today()
        _confirmation(findings, policy, values, context.customer.id, context.application_id, on,
                      payer_id=payer.id if payer else policy.payer_id, needed=moved_amount(policy),
                      short="確認の残額が信用危険てん補対象の残額に足りません",
                      missing="支払人（格付EE・EA・EM・EF）の信用危険をてん補するには、個別保証枠の確認管理番号が必要です")  # fmt: skip
    if (
        PAYER in kinds
        and policy.used_jpy
        and (payer_moves(policy, buyers, values) or not needs_confirmation(policy, buyers, values))
    ):
        findings.inform("変更が完了すると、現在の確認で使用している個別保証枠の使用額は戻されます。")
    if added and material(policy, added):
        findings.warn(
            "この金額増額は、当初の契約金額の10%以上の増額（累計）となるため、重大な変更に当たります。NEXIの審査に時間がかかることがあります。"
        )
    amount = new_amount(policy, values)
    if DECREASE in kinds and amount is not None:
        settled = sum(row.settled for row in policies.instalments_of(policy.id))
        if amount - policy.advance < settled:
            findings.error(STEP_CONTENT, "decreased_amount",
                           f"新契約金額は決済済みの金額（{own.money(settled, policy.currency)}）に前受金を加えた金額以上で入力してください")  # fmt: skip
    if CURRENCY in kinds and (policy.used_jpy or policy.credit_outstanding):
        findings.error(STEP_CONTENT, "new_currency",
                       "個別保証枠を使用している保険は、確認と通貨が異なることになるため通貨変更できません"
                       "（枠戻しの後にお届けください）")  # fmt: skip
    if CANCEL in kinds and policy.product in LIMIT_PRODUCTS:  # 企業総合 / 消費財 hold no 個別保証枠
        findings.inform("解約すると、この保険で使用している個別保証枠の使用額はすべて戻されます。")
    if DECREASE in kinds and policy.credit_outstanding:
        findings.inform("減額分に応じて、この保険で使用している個別保証枠の使用額が戻されます。")
    return findings


def late_after(values: dict) -> date | None:
    """9-5: a 変更 filed more than one month after the 変更事由発生日 is late (warning, 期限超過)."""
    occurred = parse_day(values.get("occurred_on"))
    return add_months(occurred, 1) if occurred else None


DEADLINE = Deadline(
    due=late_after,
    warning="変更事由発生日から1か月を過ぎた届出です（目安：{due}まで）。期限超過として扱われます。",
)
EXCLUSIVE = Exclusive(
    key=policy_key,
    message="証券番号・枝番「{key}」の変更は、すでに申込み中です",
    step=STEP_TARGET,
    field="policy_number",
)


def describe(values: dict) -> tuple[str, str | None]:
    key = policy_key(values)
    labels = "・".join(KIND_LABELS[kind] for kind in kinds_of(values))
    return f"{key or ''} {labels}".strip(), key


def submitted(application, context: Context, first: bool) -> None:
    """申込む (10): a credit-covered increment, or the credit-covered outstanding moving to a new
    支払人, is earmarked on the quoted 確認; a resubmission after 差戻し takes it again for the
    edited answers."""
    if not first:
        limits.release(application.id)
    values = context.values
    policy = chosen_policy(values, context.customer)
    if policy is None:
        raise Conflict("対象の保険が見つかりません", step=STEP_TARGET, field="policy_number")
    buyers = parties(policy)
    added = increment(policy, values)
    if not (added and needs_confirmation(policy, buyers)):
        added = 0
    if PAYER in kinds_of(values) and payer_moves(policy, buyers, values):
        added = moved_amount(policy)  # the new 支払人's 確認 takes over the credit-covered outstanding
    if not added:
        return
    confirmation = checks.own_confirmation(values.get("confirmation_number"), context.customer.id)
    if confirmation is None:
        raise Conflict("確認管理番号の確認が見つかりません", step=STEP_CONTENT, field="confirmation_number")
    on = (application.submitted_at or now()).astimezone(JST).date()
    decimals = masters.decimals(policy.currency) or 0
    try:
        limits.earmark(confirmation.id, application.id, added, decimals, on=on)
    except limits.LimitError as refused:
        message = f"確認管理番号「{confirmation.number}」の確認から引き当てられませんでした：{refused}"
        raise Conflict(message, step=STEP_CONTENT, field="confirmation_number") from None


def ended(application) -> None:
    """取下げ or 不承認: the increment's earmark goes back (10)."""
    limits.release(application.id)
