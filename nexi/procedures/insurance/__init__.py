"""9章 貿易保険の申込みに関する手続き (DOMAIN.md §9): IA1 貿易一般保険（個別） 申込 here, flow R,
and every other product's declarations listed in PROCEDURES below.

The 9-1 fields (common.py), the 9-3 checks (checks.py) and what 申込む and 完了 do to the contract
book (completion.py) are written once for every 9-1 product: IA1 declares them for 保険種別 01,
IB1 (equipment.py) 02, IC1 (consumer.py) 03, ID1 (comprehensive.py) 04, IF1 (sme.py) 06, each
adding only what is its own. The 変更 of 9-5 are one factory (individual_change.py: IA2;
product_changes.py: IB2, IC2, ID2). IE1 / IE2 (blanket.py, blanket_change.py) have 9-4's own shape.
"""

from nexi.procedures.buyers.rules import find
from nexi.procedures.engine import Context, Deadline, Findings, Procedure
from nexi.procedures.insurance import checks, common, completion

INDIVIDUAL = "01"  # 保険種別コード of 貿易一般保険（個別） (C.6)
REFERENCE = "参考保険料（NEXIの審査により変わることがあります）"


def _target(values: dict) -> tuple[str, str | None]:
    code = values.get("counterparty_code", "")
    buyer = find(code)
    return (f"{code} {buyer.name_en}" if buyer else code, common.payer_code(values))


def _check(product: str):
    def check(context: Context) -> Findings:
        findings = checks.acceptance(
            context.values, product, context.customer.id, application_id=context.application_id
        )
        found = checks.reference_premium(context.values, product)
        if found is not None and not findings.errors:
            findings.inform(f"{REFERENCE}：{found.total:,}円")
        return findings

    return check


class IndividualResultForm(completion.PolicyResultForm):
    """S.3 IA1."""

    product = INDIVIDUAL


INDIVIDUAL_APPLICATION = Procedure(
    code="IA1",
    title="貿易一般保険（個別） 申込",
    section="9-1",
    chapter="insurance",
    path="individual",
    steps=common.steps(INDIVIDUAL),
    describe=_target,
    check=_check(INDIVIDUAL),
    initial=common.initial,
    deadline=Deadline(
        due=checks.late_after,
        warning="契約締結日から1か月を過ぎたお申込みです（目安：{due}まで）。期限超過として扱われます。",
    ),
    submitted=completion.submitted(INDIVIDUAL),
    ended=completion.ended,
    complete=completion.complete(INDIVIDUAL),
    result_form=IndividualResultForm,
    intro=(
        "輸出・仲介貿易・技術提供の契約を1件ずつ保険に付けるための申込みです。"
        "初回の船積みの前にお申し込みください（契約締結日から1か月以内が目安です）。\n"
        "支払人が格付EE・EA・EM・EFで信用危険をてん補する場合は、個別保証枠の確認管理番号が必要です"
        "（「個別保証枠取得（確認申請）」で取得できます）。NEXIの審査後、保険証券番号・保険料・保険責任開始日を"
        "「Web申込状況一覧」でお知らせします。"
    ),
)

# the other products: each adds to the 9-1 steps and checks above (or, IE1/IE2, its own 9-4 shape)
from nexi.procedures.insurance import consumer, equipment, product_changes  # noqa: E402  (IB1, IC1, I*2)
from nexi.procedures.insurance.blanket_change import BLANKET_CHANGE, BLANKET_NOTICE  # noqa: E402  (IE1, IE2)
from nexi.procedures.insurance.comprehensive import COMPREHENSIVE_APPLICATION  # noqa: E402  (ID1, 9-4 企業総合)
from nexi.procedures.insurance.individual_change import INDIVIDUAL_CHANGE  # noqa: E402  (IA2, 9-5)
from nexi.procedures.insurance.sme import SME_APPLICATION  # noqa: E402  (IF1, 9-4 中小企業)

PROCEDURES = (
    INDIVIDUAL_APPLICATION,
    INDIVIDUAL_CHANGE,
    equipment.EQUIPMENT_APPLICATION,
    consumer.CONSUMER_APPLICATION,
    COMPREHENSIVE_APPLICATION,
    *product_changes.CHANGES,
    BLANKET_NOTICE,
    BLANKET_CHANGE,
    SME_APPLICATION,
)
