"""更新案 of a 企業総合保険特約 on the console (DOMAIN.md 8-4, S.6), for 管理担当 only: from
add_months(満了日, −NEXI_RENEWAL_PROPOSAL_MONTHS) staff issue it from the 特約's screen — one row per
有効 企総登録 with the last-year insured turnover, the current limit and the proposed one (editable),
削除予定 where no policy of the 特約期間 named the buyer — and the 特約 becomes 更新手続中. The
customer's 管理者 answers with K04; past the 更新申込期限 without a submission staff decide on it,
which renews the 特約 as proposed. renewal_queries.py reads and writes."""

from flask import request
from flask_login import current_user

from nexi.blueprints.staff import bp
from nexi.blueprints.staff import registration_queries as registrations
from nexi.blueprints.staff import renewal_queries as queries
from nexi.blueprints.staff.buyer_forms import LIMIT_MAX, YenField
from nexi.blueprints.staff.console import manager_only, require_manager
from nexi.clock import today
from nexi.forms import NexiForm, NumberRange, Optional
from nexi.models import ProposalState, RiderState
from nexi.navigation import ScreenGone, guarded, screen, show, state
from nexi.procedures.comprehensive import renewal_effects as effects
from nexi.procedures.comprehensive.renewal_forms import RenewalResultBase, suggested_number
from nexi.procedures.engine import Refused
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

RIDER = "staff.registration_rider"  # registrations.py: the 特約's screen
ISSUE, PROPOSAL = "staff.renewal_issue", "staff.renewal_proposal"
LIMIT_LABEL = "提案する支払限度額（円）"


def _shown() -> tuple[int | None, int | None]:
    """(customer id, 特約 id) of the screen shown: the 特約's or one of these."""
    current = state()
    args = current.screen_args or {}
    if current.screen == RIDER:
        return args.get("customer_id"), args.get("parent_id")
    if current.screen in (ISSUE, PROPOSAL):
        return args.get("customer_id"), args.get("rider_id")
    return None, None


def _rider(customer_id, rider_id):
    return registrations.rider(customer_id, rider_id) if isinstance(customer_id, int) else None


def _elsewhere(customer_id):
    """The screen shown is not one of a 特約: 登録情報 of its customer, or the customers' list."""
    if isinstance(customer_id, int):
        return show("staff.registrations", customer_id=customer_id)
    return show("staff.customers", criteria={"code": "", "name": ""}, page=1)


def _rider_screen(customer_id: int, rider_id: int):
    return show(RIDER, customer_id=customer_id, kind="rider", parent_id=rider_id)


def issue_form(items, formdata=None) -> NexiForm:
    """One proposed limit per 企総登録 (blank: no limit)."""
    names = {
        f"limit_{item.registration.id}": YenField(
            f"{item.buyer.code} {LIMIT_LABEL}",
            validators=[Optional(), NumberRange(LIMIT_LABEL, 1, LIMIT_MAX)],
            thing=LIMIT_LABEL,
        )  # fmt: skip
        for item in items
    }
    form_class = type("RenewalIssueForm", (NexiForm,), names)
    return form_class() if formdata is None else form_class(formdata=formdata)


@bp.post("/registrations/renewal", endpoint="renewal")
@guarded
@manager_only
def renewal():
    """「更新案」 of the 特約 shown: its 更新案, or issuing one (from add_months(満了日, −N))."""
    customer_id, rider_id = _shown()
    rider = _rider(customer_id, rider_id)
    if rider is None:
        return _elsewhere(customer_id)
    if queries.proposal(customer_id, rider.id) is not None:
        return show(PROPOSAL, customer_id=customer_id, rider_id=rider.id, values={})
    first = effects.issue_from(rider.ends_on)
    if rider.state != RiderState.IN_FORCE:
        add_message("この特約は有効ではないため、更新案を作成できません。", level="warning")
        return _rider_screen(customer_id, rider.id)
    if today() < first:
        add_message(f"更新案は {first:%Y/%m/%d} から作成できます（特約期間満了日の前）。", level="warning")
        return _rider_screen(customer_id, rider.id)
    items = queries.candidates(customer_id, rider.id)
    values = {f"limit_{item.registration.id}": "" if item.registration.limit_jpy is None
              else str(item.registration.limit_jpy) for item in items}  # fmt: skip
    return show(ISSUE, customer_id=customer_id, rider_id=rider.id, values=values)


@screen(ISSUE)
def issue_screen(customer_id: int, rider_id: int, values: dict, errors: dict | None = None):
    require_manager()
    shown = queries.rider_with_customer(customer_id, rider_id)
    if shown is None:
        raise ScreenGone
    rider, customer = shown
    items = queries.candidates(customer_id, rider.id)
    form = issue_form(items, multidict(values))
    form.restore_errors(errors or {})
    return render_screen("staff/renewals/issue.html", customer=customer, rider=rider,
                         items=items, form=form, deadline=effects.deadline(rider.ends_on))  # fmt: skip


@bp.post("/registrations/renewal/issue")
@guarded
@manager_only
def renewal_issue():
    """「更新案を提示する」 issues it as shown, or 「戻る」."""
    customer_id, rider_id = _shown()
    rider = _rider(customer_id, rider_id) if state().screen == ISSUE else None
    if rider is None:
        return _elsewhere(customer_id)
    if request.form.get("action") != "submit":
        return _rider_screen(customer_id, rider.id)
    items = queries.candidates(customer_id, rider.id)
    form = issue_form(items)
    if not form.validate():
        return show(ISSUE, customer_id=customer_id, rider_id=rider.id, values=form.data_for_state(),
                    errors=form.errors_for_state())  # fmt: skip
    if rider.state != RiderState.IN_FORCE or today() < effects.issue_from(rider.ends_on):
        add_message("この特約には更新案を作成できません。", level="warning")
        return _rider_screen(customer_id, rider.id)
    limits = {item.registration.id: form[f"limit_{item.registration.id}"].data for item in items}
    try:
        queries.issue(rider, limits, staff=current_user.staff)
    except queries.Taken:
        add_message("この特約の更新案は、すでに作成されています。", level="warning")
    else:
        add_message("更新案を提示しました。特約は更新手続中になりました。", level="success")
    return show(PROPOSAL, customer_id=customer_id, rider_id=rider.id, values={})


def _proposal(customer_id, rider_id):
    rider = _rider(customer_id, rider_id)
    found = queries.proposal(customer_id, rider.id) if rider is not None else None
    return (rider, found) if found is not None else None


def _decidable(found) -> bool:
    """Without a submission, past the 更新申込期限 (8-4)."""
    return found.state == ProposalState.OPEN and today() > found.deadline_on


@screen(PROPOSAL)
def proposal_screen(customer_id: int, rider_id: int, values: dict, errors: dict | None = None):
    require_manager()
    shown = queries.rider_with_customer(customer_id, rider_id)
    found = queries.proposal(customer_id, rider_id) if shown is not None else None
    if found is None:
        raise ScreenGone
    rider, customer = shown
    form = None
    if _decidable(found):
        starts_on, _ends_on = effects.next_period(rider)
        form = RenewalResultBase(
            formdata=multidict(values or {"new_number": suggested_number(rider.number, starts_on.year)})
        )
        form.restore_errors(errors or {})
    return render_screen("staff/renewals/proposal.html", customer=customer, rider=rider,
                         proposal=found, rows=effects.rows(customer_id, found.id), form=form,
                         period=effects.next_period(rider))  # fmt: skip


@bp.post("/registrations/renewal/decide")
@guarded
@manager_only
def renewal_decide():
    """「更新案のとおり決定する」 (no submission, past the 更新申込期限), or 「戻る」."""
    customer_id, rider_id = _shown()
    shown = _proposal(customer_id, rider_id) if state().screen == PROPOSAL else None
    if shown is None:
        return _elsewhere(customer_id)
    rider, found = shown
    if request.form.get("action") != "submit":
        return _rider_screen(customer_id, rider.id)
    if not _decidable(found):
        add_message("この更新案は、申込みがあるか更新申込期限前のため、決定できません。", level="warning")
        return show(PROPOSAL, customer_id=customer_id, rider_id=rider.id, values={})
    form = RenewalResultBase()
    if not form.validate():
        return show(PROPOSAL, customer_id=customer_id, rider_id=rider.id, values=form.data_for_state(),
                    errors=form.errors_for_state())  # fmt: skip
    try:
        new = queries.decide(rider, found, form.new_number.data, staff=current_user.staff)
    except Refused as refusal:
        add_message(str(refusal), level="warning")
        return show(PROPOSAL, customer_id=customer_id, rider_id=rider.id, values=form.data_for_state())
    add_message(f"更新案のとおり決定しました。新しい特約 {new.number} の特約期間が始まります。", level="success")
    return _rider_screen(customer_id, new.id)
