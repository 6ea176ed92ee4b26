"""IB1 設備財包括保険 申込 (DOMAIN.md 9-1 … 9-4 設備財 (IB), C.7), flow R.

IA1's 9-1 steps, 9-3 checks and contract-book hooks for 保険種別 02 (9-2 付保率 as 個別; a 確認管理番号
under 個別保証枠 as 個別, checks.needs_confirmation), with what is 設備財's own: the 組合 filed through
(association.py), 機種区分 and 案件区分, EM/EF credit cover only with a ユーザンス of at most 1 year,
the must-insure information (機種区分 and the 契約金額 in yen), the 申込期限 at the end of the month
after the contract month, and the 保険責任 from the 契約締結日.

機種区分 is a choice (機械 / 船舶 / 舶用機関・部品 / その他) rather than free text, so that the
must-insure thresholds of 9-4 can be decided from it.
"""

from datetime import date

from nexi import fields, masters, registrations
from nexi.estimate import to_yen
from nexi.procedures.engine import Context, Findings, Procedure
from nexi.procedures.insurance import _check, _target, association, common, completion
from nexi.procedures.insurance.checks import Deal, buyers_of
from nexi.text import iso_day

EQUIPMENT = registrations.EQUIPMENT  # 保険種別コード of 設備財包括保険 (C.6)
MACHINE_TYPES = [(name, name) for name in ("機械", "船舶", "舶用機関・部品", "その他")]
CASE_TYPES = [(name, name) for name in ("特定2年未満", "一般")]
# 9-4: the contracts the association's 特約 obliges the member to insure, from these yen amounts
MUST_INSURE = {"機械": 25_000_000, "船舶": 50_000_000, "舶用機関・部品": 10_000_000}
OPTION_RATINGS = ("EM", "EF")  # 9-3: their credit cover is an option with a ユーザンス ≤ 1 year
OPTION_MAX_USANCE = 365


class EquipmentContractForm(common.ContractForm):
    """9-1 契約・当事者 with the 組合 (保険契約者)."""

    sections = [("保険契約者", ["association"]), *common.ContractForm.sections]
    association = association.association_field(EQUIPMENT)


class EquipmentMoneyForm(common.MoneyForm):
    """9-1 貨物・金額・決済 with 機種区分 and 案件区分."""

    sections = [("貨物", ["goods", "commodity", "machine_type", "case_type"]), *common.MoneyForm.sections[1:]]
    machine_type = fields.choice("機種区分", MACHINE_TYPES)
    case_type = fields.choice("案件区分", CASE_TYPES, radio=True)


def must_insure(values: dict) -> str | None:
    """The 9-4 must-insure information for the 機種区分 and the 契約金額 (yen at the M.2 rate)."""
    threshold = MUST_INSURE.get(values.get("machine_type") or "")
    deal = Deal(values, EQUIPMENT)
    currency = masters.currencies().get(deal.currency or "")
    if threshold is None or deal.contract is None or currency is None:
        return None
    yen = to_yen(deal.contract, currency.rate)
    if yen < threshold:
        return None
    return (
        f"機種区分「{values['machine_type']}」で契約金額（円換算 {yen:,}円）が{threshold // 10_000:,}万円以上のため、"
        "組合の包括保険特約により付保が義務付けられている契約です。"
    )


def usance_problem(rating: str | None, deal: Deal) -> str | None:
    """9-3 設備財: EM/EF credit cover is an option only with a ユーザンス of at most a year (IB1, IB2)."""
    if rating in OPTION_RATINGS and deal.credit_cover() and deal.usance is not None:
        if deal.usance > OPTION_MAX_USANCE:
            return (
                f"支払人（格付{rating}）の信用危険をてん補する場合、ユーザンスは{OPTION_MAX_USANCE}日以内としてください"
            )
    return None


def check(context: Context) -> Findings:
    values = context.values
    findings = _check(EQUIPMENT)(context)
    payer = buyers_of(values).get("payer")
    problem = usance_problem(payer.rating if payer else None, Deal(values, EQUIPMENT))
    if problem:
        findings.error(common.STEP_MONEY, "usance_days", problem)
    found = must_insure(values)
    if found:
        findings.inform(found)
    findings.inform(association.holder(values))
    return findings


def due(values: dict) -> date | None:
    """9-4 設備財: the end of the month after the contract month."""
    return association.month_after_end(iso_day(values.get("contracted_on")))


class EquipmentResultForm(completion.PolicyResultForm):
    """S.3 IB1: 保険責任開始日 proposed = the 契約締結日 (9-4 設備財)."""

    help_prefix = "shared.equipment_result"
    product = EQUIPMENT
    liability_from = fields.day("保険責任開始日", hint="契約締結日が入っています。")

    @classmethod
    def liability_start(cls, answers: dict, application) -> date:
        return iso_day(answers.get("contracted_on")) or completion.applied_on(application)


def _details(values: dict) -> dict:
    return {"機種区分": values.get("machine_type") or "", "案件区分": values.get("case_type") or ""}


EQUIPMENT_APPLICATION = Procedure(
    code="IB1",
    title="設備財包括保険 申込",
    section="9-1",
    chapter="insurance",
    path="equipment",
    steps=common.steps(EQUIPMENT, contract=EquipmentContractForm, money=EquipmentMoneyForm),
    describe=_target,
    check=check,
    initial=association.initial(EQUIPMENT, common.initial),
    deadline=association.deadline(due, "契約締結月"),
    submitted=completion.submitted(EQUIPMENT),
    ended=completion.ended,
    complete=association.complete(EQUIPMENT, _details),
    result_form=EquipmentResultForm,
    eligible=registrations.holds(registrations.HOLDS_ASSOCIATION[EQUIPMENT]),
    ineligible=registrations.REASONS[registrations.HOLDS_ASSOCIATION[EQUIPMENT]],
    intro=(
        "組合（保険契約者）の設備財包括保険特約のもとで、組合員が設備財の輸出契約を保険に付けるための申込みです。"
        "契約締結月の翌月末までにお申し込みください（過ぎた場合は「期限超過」として扱われます）。\n"
        "支払人が格付EE・EA・EM・EFで信用危険をてん補する場合は、個別保証枠の確認管理番号が必要です。"
        "格付EM・EFの支払人の信用危険は、ユーザンス1年以内の場合に限りてん補できます。"
        "NEXIの審査後、保険証券番号・保険料・保険責任開始日（契約締結日）を「Web申込状況一覧」でお知らせします。"
    ),
)
