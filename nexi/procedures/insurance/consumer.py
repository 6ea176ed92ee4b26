"""IC1 消費財包括保険 申込 (DOMAIN.md 9-1 … 9-4 消費財 (IC), C.7), flow R.

IA1's 9-1 steps, 9-3 checks and contract-book hooks for 保険種別 03 (9-2 付保率 as 個別; no 個別保証枠,
checks.needs_confirmation), with what is 消費財's own: the 組合 filed through (association.py), the
品目, the 申込期限 at the end of the month after the contract (or 発効) month, and the 保険責任 from
the 契約締結日 — from the application day when the 申込 is late.
"""

from datetime import date

from nexi import fields, registrations
from nexi.procedures.engine import Context, Findings, Procedure
from nexi.procedures.insurance import _check, _target, association, common, completion
from nexi.text import iso_day

CONSUMER = registrations.CONSUMER  # 保険種別コード of 消費財包括保険 (C.6)
ITEMS = [(name, name) for name in ("鋼材", "化学品")]


class ConsumerContractForm(common.ContractForm):
    """9-1 契約・当事者 with the 組合 (保険契約者)."""

    sections = [("保険契約者", ["association"]), *common.ContractForm.sections]
    association = association.association_field(CONSUMER)


class ConsumerMoneyForm(common.MoneyForm):
    """9-1 貨物・金額・決済 with the 品目."""

    sections = [("貨物", ["goods", "commodity", "item"]), *common.MoneyForm.sections[1:]]
    item = fields.choice("品目", ITEMS)


def check(context: Context) -> Findings:
    findings = _check(CONSUMER)(context)
    findings.inform(association.holder(context.values))
    return findings


def due(values: dict) -> date | None:
    """9-4 消費財: the end of the month after the 発効 month, or the contract month without one."""
    day = iso_day(values.get("effective_on")) or iso_day(values.get("contracted_on"))
    return association.month_after_end(day)


class ConsumerResultForm(completion.PolicyResultForm):
    """S.3 IC1: 保険責任開始日 proposed = the 契約締結日, the application day when late (9-4 消費財)."""

    help_prefix = "shared.consumer_result"
    product = CONSUMER
    liability_from = fields.day("保険責任開始日", hint="契約締結日（期限超過の場合は申込日）が入っています。")

    @classmethod
    def liability_start(cls, answers: dict, application) -> date:
        applied, last = completion.applied_on(application), due(answers)
        contracted = iso_day(answers.get("contracted_on"))
        return applied if contracted is None or (last is not None and applied > last) else contracted


CONSUMER_APPLICATION = Procedure(
    code="IC1",
    title="消費財包括保険 申込",
    section="9-1",
    chapter="insurance",
    path="consumer",
    steps=common.steps(CONSUMER, contract=ConsumerContractForm, money=ConsumerMoneyForm),
    describe=_target,
    check=check,
    initial=association.initial(CONSUMER, common.initial),
    deadline=association.deadline(due, "契約締結月（発効日がある場合は発効月）"),
    submitted=completion.submitted(CONSUMER),
    ended=completion.ended,
    complete=association.complete(CONSUMER, lambda values: {"品目": values.get("item") or ""}),
    result_form=ConsumerResultForm,
    eligible=registrations.holds(registrations.HOLDS_ASSOCIATION[CONSUMER]),
    ineligible=registrations.REASONS[registrations.HOLDS_ASSOCIATION[CONSUMER]],
    intro=(
        "組合（保険契約者）の消費財包括保険特約のもとで、組合員が鋼材・化学品の輸出契約を保険に付けるための申込みです。"
        "契約締結月（発効日がある場合は発効月）の翌月末までにお申し込みください。過ぎた場合は「期限超過」として扱われ、"
        "保険責任は申込日から始まります。\n"
        "NEXIの審査後、保険証券番号・保険料・保険責任開始日（契約締結日）を「Web申込状況一覧」でお知らせします。"
    ),
)
