"""ID1 企業総合保険 申込 (DOMAIN.md 9-1, 9-2 企業総合, 9-3, 9-4 企業総合 (ID), §8, S.3), flow R.

The 9-1 steps, the 9-3 checks and the contract-book hooks are IA1's (common.py, checks.py,
completion.py) for 保険種別 04; what is ID1's own is only here: the 特約番号 (one of the customer's
有効 企業総合 特約), the 船後 信用危険付保率 that the 支払人's 企総登録 under that 特約 decides
(90 with a 支払限度額 > 0 or under the L/C exemption, else 50 for EM/EF, else 0 — the limit is
never consumed, so no 確認管理番号 and no earmark), the 申込期限 at the end of the month after the
contract (or 発効) month, and the 保険責任 from the 契約締結日 (the application day when late).
"""

from datetime import date, timedelta
from decimal import Decimal

from nexi import fields, masters, registrations
from nexi.clock import add_months
from nexi.estimate import cover_choices
from nexi.forms import Required
from nexi.inputs import LazyChoiceField
from nexi.models import Application
from nexi.procedures.engine import Context, Deadline, Procedure, Refused
from nexi.procedures.insurance import _check, _target, checks, common, completion

COMPREHENSIVE = registrations.COMPREHENSIVE  # 保険種別コード 04 (C.6)
FULL, CAPPED, NONE = Decimal(90), Decimal(50), Decimal(0)
CAPPED_RATINGS = ("EM", "EF")  # without a 支払限度額: 50 %, claims capped at ¥1 billion (8-1)
CAPPED_INFO = (
    "支払人（格付{rating}）は支払限度額が設定されていないため、船後 信用危険付保率は50%です"
    "（この支払人に対する保険金の支払いは10億円が上限です）。"
)
NOT_ALLOWED = "船後 信用危険付保率{rate}%は選択できません（{reason}）"


def _rider(customer_id: int, number: str | None):
    """The customer's 特約 of that number if it is in force today (C.4: another's is none)."""
    return next((rider for rider in registrations.riders_in_force(customer_id) if rider.number == number), None)


def offered(values: dict, customer_id: int | None) -> dict[str, list[Decimal]]:
    """The 付保率 of 9-2 企業総合 for the answers: estimate.cover_choices for 04, with the 船後 信用
    decided by the 支払人's 企総登録 under the chosen 特約 (or the L/C exemption)."""
    buyers = checks.buyers_of(values)
    payer = buyers.get("payer")
    rating = masters.ratings().get(payer.rating) if payer else None
    choices = cover_choices(COMPREHENSIVE, payer.rating if payer else None, rating.cover if rating else None)
    if payer is None or choices["post_commercial"] == [NONE]:
        return choices  # not known yet, or credit 不可 (forced 0, 9-3)
    if _full_cover(values, buyers, payer, customer_id):
        choices["post_commercial"] = [FULL, NONE]
    elif payer.rating in CAPPED_RATINGS:
        choices["post_commercial"] = [CAPPED, NONE]
    else:
        choices["post_commercial"] = [NONE]
    return choices


def _full_cover(values: dict, buyers: dict, payer, customer_id: int | None) -> bool:
    if checks.lc_exempt(checks.Deal(values, COMPREHENSIVE), buyers, masters.countries()):
        return True  # an L/C of a G- or SA-rated bank needs no 支払限度額 (9-2)
    rider = _rider(customer_id, values.get("rider_number")) if customer_id is not None else None
    registration = registrations.rider_registration(rider.id, payer.id) if rider else None
    return bool(registration and registration.limit_jpy)


def _reason(allowed: list[Decimal]) -> str:
    if allowed == [CAPPED, NONE]:
        return "支払人に支払限度額のある企総登録がないため、50%または0%です"
    return "支払人に支払限度額のある企総登録がないため、0%（非常危険のみ）です"


def rate_problem(values: dict, customer_id: int) -> str | None:
    """Why the chosen 船後 信用危険付保率 is no longer allowed (a 企総登録 deleted meanwhile), if so."""
    chosen = values.get("post_commercial")
    rate = checks._rate(chosen)
    if rate is None:
        return None  # not answered (the form asks for it)
    allowed = offered(values, customer_id)["post_commercial"]
    return None if rate in allowed else NOT_ALLOWED.format(rate=chosen, reason=_reason(allowed))


class RiderField(LazyChoiceField):
    """特約番号: one of the customer's 有効 企業総合 特約 (8)."""

    unknown = "特約番号は貴社の有効な企業総合保険特約から選択してください"


def _rider_choices(form) -> list[tuple[str, str]]:
    return [(rider.number, f"{rider.number}（特約期間 {checks.japanese(rider.starts_on)}～{checks.japanese(rider.ends_on)}）")
            for rider in registrations.riders_in_force(form.context.customer.id)]  # fmt: skip


class ComprehensiveContractForm(common.ContractForm):
    """9-1 契約・当事者 with the 特約番号 (9-4 ID)."""

    sections = [("企業総合保険特約", ["rider_number"]), *common.ContractForm.sections]
    rider_number = RiderField(
        "特約番号", validators=[Required("特約番号", choose=True)], thing="特約番号", options=_rider_choices, show=str
    )


class ComprehensiveCoverForm(common.cover_form(COMPREHENSIVE)):
    """9-1 付保・確認: the 船後 信用 choices follow the 支払人's 企総登録 (9-2 企業総合); no
    確認管理番号 (the 支払限度額 is not a balance, 8)."""

    sections = [
        ("付保率（船前）", ["pre_political", "pre_commercial"]),
        ("付保率（船後）", ["post_political", "post_commercial"]),
        ("内諾", ["approval_number", "approval_on"]),
        ("担当者", ["contact_name", "contact_phone", "contact_email"]),
    ]
    confirmation_number = None

    def cover_offered(self) -> dict:
        return offered(self.answers or {}, self.context.customer.id if self.context is not None else None)


def deadline(values: dict) -> date | None:
    """9-4 ID: the last day of the month after the contract (or 発効) month."""
    day = checks._day(values.get("effective_on")) or checks._day(values.get("contracted_on"))
    return add_months(day.replace(day=1), 2) - timedelta(days=1) if day else None


def _comprehensive_check(context: Context):
    findings = _check(COMPREHENSIVE)(context)
    values = context.values
    if _rider(context.customer.id, values.get("rider_number")) is None:
        findings.error(common.STEP_CONTRACT, "rider_number", RiderField.unknown)
        return findings
    problem = rate_problem(values, context.customer.id)
    if problem:
        findings.error(common.STEP_COVER, "post_commercial", problem)
    elif values.get("post_commercial") == str(CAPPED):
        payer = checks.buyers_of(values).get("payer")
        findings.inform(CAPPED_INFO.format(rating=payer.rating if payer else ""))
    return findings


def _initial(context) -> dict:
    """9-1's prefill, and the 特約 when the customer has just one in force."""
    values = common.initial(context)
    riders = registrations.riders_in_force(context.customer.id)
    if len(riders) == 1:
        values[common.STEP_CONTRACT]["rider_number"] = riders[0].number
    return values


def _complete(application: Application, inputs: dict) -> dict:
    """S.3 ID1: 9-3 again (completion.complete), and the 特約 and the 付保率 still allowed; the
    policy keeps its 特約 (rider_id)."""
    values = application.answers()
    rider = _rider(application.customer_id, values.get("rider_number"))
    if rider is None:
        raise Refused(f"特約番号「{values.get('rider_number')}」の企業総合保険特約が有効でないため完了できません。")
    problem = rate_problem(values, application.customer_id)
    if problem:
        raise Refused(f"9-2の付保率の条件を満たさなくなったため完了できません：{problem}")
    result = completion.complete(COMPREHENSIVE, extra=lambda values, customer_id: {"rider_id": rider.id})(
        application, inputs
    )
    items = list(result.items())
    items.insert(1, ("特約番号", rider.number))  # after the 保険証券番号
    return dict(items)


class ComprehensiveResultForm(completion.PolicyResultForm):
    """S.3 ID1: 保険責任開始日 proposed = the 契約締結日, the application day when late (9-4 ID)."""

    help_prefix = "shared.comprehensive_result"
    product = COMPREHENSIVE
    liability_from = fields.day("保険責任開始日", hint="契約締結日（期限超過の場合は申込日）が入っています。")

    @classmethod
    def liability_start(cls, answers: dict, application) -> date:
        if getattr(application, "overdue", False):
            return completion.applied_on(application)
        return date.fromisoformat(answers["contracted_on"])


COMPREHENSIVE_APPLICATION = Procedure(
    code="ID1",
    title="企業総合保険 申込",
    section="9-1",
    chapter="insurance",
    path="comprehensive",
    steps=common.steps(COMPREHENSIVE, contract=ComprehensiveContractForm, cover=ComprehensiveCoverForm),
    describe=_target,
    check=_comprehensive_check,
    initial=_initial,
    deadline=Deadline(
        due=deadline,
        warning="申込期限（契約締結日（発効日）の翌月末日：{due}）を過ぎたお申込みです。期限超過として扱われ、"
        "保険責任は申込日から開始します。",
    ),
    submitted=completion.submitted(COMPREHENSIVE),
    ended=completion.ended,
    complete=_complete,
    result_form=ComprehensiveResultForm,
    eligible=registrations.holds(registrations.HOLDS_RIDER),
    ineligible=registrations.REASONS[registrations.HOLDS_RIDER],
    intro=(
        "企業総合保険特約の対象となる輸出・仲介貿易・技術提供の契約を、1件ずつ申し込む手続きです。"
        "契約締結日（発効日がある場合は発効日）の属する月の翌月末日までにお申し込みください"
        "（過ぎた場合は期限超過となり、保険責任は申込日から開始します）。\n"
        "船後の信用危険付保率は、特約に登録された支払人の企総登録によって決まります（支払限度額がある場合は90%、"
        "格付EM・EFで支払限度額がない場合は50%、その他は0%）。個別保証枠の確認管理番号は不要です。"
        "NEXIの審査後、保険証券番号・保険料・保険責任開始日を「Web申込状況一覧」でお知らせします。"
    ),
)
