"""IB2 設備財包括保険 変更, IC2 消費財包括保険 変更, ID2 企業総合保険 変更 (DOMAIN.md 9-5), flow R:
IA2's fields, rules and 完了 for the policies of their own product, open to whoever may file its 申込
(C.7). Under 設備財 a credit-covered increment needs a 確認 as under 個別 (個別保証枠, 9-3); 消費財
and 企業総合 need nothing more (checks.needs_confirmation names the 個別保証枠 products); IB2 also keeps
設備財's ユーザンス limit of EM/EF credit cover (9-3)."""

from nexi import registrations
from nexi.procedures.engine import Context, Findings
from nexi.procedures.insurance import change, equipment
from nexi.procedures.insurance.change_forms import PAYER, SETTLEMENT, STEP_CONTENT, chosen_policy, kinds_of
from nexi.procedures.insurance.change_values import changed_values, new_payer
from nexi.procedures.insurance.checks import Deal
from nexi.procedures.insurance.individual_change import change_procedure
from nexi.procedures.insurance.policy_rows import parties

_COMMON = (
    "の保険に付けた契約の内容が変わったときに届け出る手続きです。"
    "変更事由の発生日から1か月以内にお届けください（過ぎた場合は「期限超過」として扱われます）。\n"
    "損失等発生通知のある保険は変更できません。"
)
_LIMIT = (
    "信用危険をてん補している保険の金額増額で、支払人が格付EE・EA・EM・EFの場合は、"
    "個別保証枠の確認管理番号が必要です（申し込むと増額分が引き当てられます）。"
)
_RESULT = "NEXIの審査後、変更の内容と追加/返還保険料を「Web申込状況一覧」でお知らせします。"


def _equipment_check(context: Context) -> Findings:
    """IA2's rules, and 設備財's ユーザンス limit of EM/EF credit cover (9-3) on the 支払人 and
    ユーザンス after a 支払人・決済条件変更 or 決済期日延長."""
    findings = change.check(context)
    values = context.values
    kinds = kinds_of(values)
    policy = chosen_policy(values, context.customer)
    if policy is None or not {PAYER, SETTLEMENT} & set(kinds):
        return findings
    buyers = parties(policy)
    payer = new_payer(values) or buyers.get(policy.payer_id)
    after = Deal(changed_values(policy, buyers, values), policy.product)
    problem = equipment.usance_problem(payer.rating if payer else None, after)
    if problem:
        findings.error(STEP_CONTENT, "new_usance_days" if PAYER in kinds else "new_due_on", problem)
    return findings


def _declare(code: str, product: str, name: str, path: str, holding: str, limit: str = "", **checked):
    return change_procedure(
        code, f"{name} 変更", path, product, f"{name}{_COMMON}{limit}{_RESULT}",
        eligible=registrations.holds(holding), ineligible=registrations.REASONS[holding], **checked,
    )  # fmt: skip


EQUIPMENT_CHANGE = _declare(
    "IB2", registrations.EQUIPMENT, "設備財包括保険", "equipment-change",
    registrations.HOLDS_ASSOCIATION[registrations.EQUIPMENT], _LIMIT, check=_equipment_check,
)  # fmt: skip
CONSUMER_CHANGE = _declare(
    "IC2", registrations.CONSUMER, "消費財包括保険", "consumer-change",
    registrations.HOLDS_ASSOCIATION[registrations.CONSUMER],
)  # fmt: skip
COMPREHENSIVE_CHANGE = _declare(
    "ID2", registrations.COMPREHENSIVE, "企業総合保険", "comprehensive-change", registrations.HOLDS_RIDER
)
CHANGES = (EQUIPMENT_CHANGE, CONSUMER_CHANGE, COMPREHENSIVE_CHANGE)
