"""K04 特約年度更新 (DOMAIN.md 8-4, S.3), 管理者 only, flow R: the customer's answer to the 更新案 NEXI
staff issued (nexi/blueprints/staff/renewals.py) — 部門 and 連絡先, per buyer 継続 / 削除 and the limit
asked for, buyers added as in K01. Filed after the 更新申込期限 it warns and is 期限超過. NEXI's 完了
opens the new 特約期間 (renewal_effects.renew)."""

from flask import has_request_context
from flask_login import current_user

from nexi import db, registrations
from nexi.models import ProposalState, RiderBuyer, RiderState
from nexi.procedures.buyers.rules import find
from nexi.procedures.comprehensive import own
from nexi.procedures.comprehensive import renewal_effects as effects
from nexi.procedures.comprehensive.renewal_forms import (
    BuyersForm,
    ContentsForm,
    describe,
    listed,
    result_form,
    rider_key,
)
from nexi.procedures.engine import Context, Deadline, Exclusive, Findings, Procedure, Refused, Step
from nexi.text import amount_of, bounded_int

STEP_CONTENTS, STEP_BUYERS = "contents", "buyers"


def _customer_id() -> int | None:
    customer = getattr(current_user, "customer", None) if has_request_context() else None
    return customer.id if customer is not None else None


def _due(values: dict):
    """更新申込期限 of the 更新案 answered (of the logged-in customer's 特約 only)."""
    found = effects.proposal_of(_customer_id(), values.get("rider_number"))
    return found[1].deadline_on if found else None


def _initial(context: Context) -> dict:
    """The only 特約 with an open 更新案 chosen, its 部門 ticked; 連絡先 from the user."""
    user = context.user
    contents = {"contact_name": user.name, "contact_phone": user.phone, "contact_email": user.email}
    found = effects.answerable(context.customer.id)
    if len(found) == 1:
        rider = found[0][0]
        codes = own.departments(context.customer.id)
        contents |= {
            "rider_number": rider.number,
            "departments": [code for number, code, _ in codes if number == rider.number],
        }
    return {STEP_CONTENTS: contents}


def _check(context: Context) -> Findings:
    """A buyer NEXI marked 削除予定 but kept is said on 確認 (NEXI decides on it)."""
    findings = Findings()
    found = effects.proposal_of(context.customer.id, context.values.get("rider_number"))
    if found is None:
        return findings
    unused = {buyer.code for row, buyer, _reg in effects.rows(context.customer.id, found[1].id) if row.unused}
    for row in context.values.get("rows") or []:
        if isinstance(row, dict) and row.get("buyer_code") in unused and row.get("decision") == effects.CONTINUE:
            findings.inform(
                f"バイヤーコード {row['buyer_code']} は特約期間中の利用がないため、NEXIの更新案では削除予定です。"
            )
    return findings


def _submitted(application, context: Context, _first: bool) -> None:
    """The 更新案 is answered (申込済) by this K04."""
    found = effects.proposal_of(context.customer.id, context.values.get("rider_number"))
    if found is None:
        return
    proposal = effects.locked(found[1].id)
    if proposal.state in effects.ANSWERABLE:
        proposal.state, proposal.application_id = ProposalState.SUBMITTED, application.id
        proposal.version += 1
        db.session().add(proposal)


def _ended(application) -> None:
    """取下げ or 不承認: the 更新案 is open again (staff may then decide on it)."""
    found = effects.proposal_of(application.customer_id, application.answers().get("rider_number"))
    if found is not None and found[1].application_id == application.id and found[1].state == ProposalState.SUBMITTED:
        proposal = effects.locked(found[1].id)
        proposal.state, proposal.application_id = ProposalState.OPEN, None
        proposal.version += 1
        db.session().add(proposal)


def _limit(text) -> int | None:
    typed = amount_of(text) if text not in (None, "") else None
    return int(typed) if typed else None


def complete(application, inputs: dict) -> dict:
    """S.3 K04: per buyer 継続・削除 and the limit NEXI set; the new 特約期間 under the 特約番号 NEXI
    entered, with the 部門 asked for."""
    values = application.answers()
    found = effects.proposal_of(application.customer_id, values.get("rider_number"))
    if found is None or found[0].state != RiderState.RENEWING:
        raise Refused("この特約は更新手続中ではありません。差戻しまたは不承認としてください。")
    rider, proposal = found
    current: dict[str, RiderBuyer] = {
        buyer.code: registration for _row, buyer, registration in effects.rows(application.customer_id, proposal.id)
    }
    kept, dropped = [], []
    for index, row in enumerate(listed(values)):
        code = row.get("buyer_code") or ""
        if inputs.get(f"decision_{index}") != effects.CONTINUE:
            dropped.append(code)
            continue
        limit = _limit(inputs.get(f"limit_{index}"))
        if row.get("added"):
            buyer = find(code)
            if buyer is None:
                raise ValueError("the buyer is no longer registered")
            buyer_id = buyer.id
            terms = {"destination": row.get("destination") or "", "settlement_method": row.get("settlement_method") or "",
                     "max_usance_days": None}  # fmt: skip
        else:
            registration = current.get(code)
            if registration is None:
                raise Refused(f"バイヤーコード {code} の企総登録が見つかりません。")
            buyer_id = registration.buyer_id
            terms = {"destination": registration.destination, "settlement_method": registration.settlement_method,
                     "max_usance_days": bounded_int(registration.max_usance_days, 0, 729)}  # fmt: skip
        kept.append({"buyer_id": buyer_id, **terms, "limit_jpy": limit, "code": code})
    staff = getattr(current_user, "staff", None) if has_request_context() else None
    rows = [{key: value for key, value in row.items() if key != "code"} for row in kept]
    new = effects.renew(rider, proposal, (inputs.get("new_number") or "").upper(), rows, values.get("departments") or [],
                        state=ProposalState.DONE, staff=staff)  # fmt: skip
    own.forget()
    return {
        "新しい特約番号": new.number,
        "特約期間": f"{own.japanese_day(new.starts_on)}〜{own.japanese_day(new.ends_on)}",
        "継続・追加": "、".join(f"{row['code']}（{own.yen(row['limit_jpy'])}）" for row in kept) or "なし",
        "削除": "、".join(dropped) or "なし",
    }


RENEWAL = Procedure(
    code="K04",
    title="特約年度更新",
    section="8-4",
    chapter="comprehensive",
    path="renewal",
    steps=(Step(STEP_CONTENTS, "特約内容", ContentsForm), Step(STEP_BUYERS, "バイヤー", BuyersForm)),
    describe=describe,
    check=_check,
    initial=_initial,
    exclusive=(
        Exclusive(
            key=rider_key,
            message="この特約の年度更新は、すでに申込み中です（1件まで）",
            step=STEP_CONTENTS,
            field="rider_number",
        ),
    ),
    deadline=Deadline(
        due=_due,
        warning="更新申込期限（{due}）を過ぎています。このまま申し込むと「期限超過」として扱われます。",
    ),
    submitted=_submitted,
    ended=_ended,
    complete=complete,
    result_form=result_form,
    admin_only=True,
    eligible=registrations.holds(registrations.HOLDS_RIDER),
    ineligible=registrations.REASONS[registrations.HOLDS_RIDER],
    intro=(
        "NEXIから提示された更新案をもとに、企業総合保険特約を翌年度に更新する手続きです（管理者のみ）。\n"
        "特約の部門・連絡先を確認し、更新案の各バイヤーについて継続・削除と希望する支払限度額を入力します。"
        "バイヤーを追加することもできます。更新申込期限を過ぎたお申込みは「期限超過」として扱われます。"
        "NEXIが審査して完了すると、新しい特約期間が始まります。結果は「Web申込状況一覧」でご確認ください。"
    ),
)
