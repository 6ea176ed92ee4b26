"""K02 支払限度額増額申請 (DOMAIN.md 8-2, C.5, S.3), flow R: raise the 支払限度額 of a buyer 企総登録
under the customer's 特約, mid-term.

Rules (fact, 2007): only EE/EA/SA buyers; at most once per 特約期間 — only 完了 increases count,
kept on the registration row (a renewal opens new rows); 申込む on or after add_months(限度額設定日,
3); one pending K02 per registration. An increase set within 5 months before the 満了日 carries
into the renewal (info). NEXI's 完了 sets the new limit with an optimistic version check.
"""

from decimal import Decimal

from sqlalchemy import update
from sqlmodel import col
from wtforms import StringField, ValidationError

from nexi import db, fields, registrations
from nexi.clock import add_months, now, today
from nexi.forms import NexiForm
from nexi.models import RegistrationState, RiderBuyer
from nexi.procedures.comprehensive import own
from nexi.procedures.comprehensive.history import audited
from nexi.procedures.engine import Context, Exclusive, Findings, Procedure, Refused, Step
from nexi.text import amount_of

STEP_TARGET, STEP_INCREASE = "target", "increase"
INCREASABLE = ("EE", "EA", "SA")
INTERVAL_MONTHS = 3  # after the last setting
CARRY_MONTHS = 5  # before the 満了日: the increase carries into the renewal


class PresentLimitField(StringField):
    """現限度額: what the registration holds now, shown and kept as the screen showed it, never typed."""

    def __init__(self, *args, **kwargs):
        self._form = None
        super().__init__(*args, **kwargs)

    def bind_to_form(self, form) -> None:
        self._form = form

    def _present(self) -> str:
        row = own.registration_of(self._form) if self._form is not None else None
        return own.yen(row.limit_jpy) if row is not None else ""

    def _value(self):
        return self._present()

    def state_value(self):
        return self._present()

    def shown(self) -> str:
        return self.data or "（なし）"


class IncreaseForm(NexiForm):
    """8-2 増額の内容."""

    sections = [("支払限度額", ["current_limit", "requested_limit", "recent_amount"]), ("理由", ["reason"])]
    current_limit = PresentLimitField(
        "現限度額", description="現在の支払限度額です（変更できません）。", render_kw={"readonly": True}
    )
    requested_limit = fields.amount(
        "希望限度額（円）", currency=lambda form: "JPY", hint="現限度額より大きい金額を入力してください。"
    )
    recent_amount = fields.amount(
        "直近実績（円）", currency=lambda form: "JPY", required=False, hint="直近1年間の取引実績などです（任意）。"
    )
    reason = fields.text("理由", 1000, multiline=True)

    def validate_requested_limit(self, field):
        row = own.registration_of(self) if field.data is not None else None
        if row is not None and field.data <= (row.limit_jpy or 0):
            raise ValidationError(f"希望限度額は現限度額（{own.yen(row.limit_jpy)}）より大きい金額を入力してください")


def _check(context: Context) -> Findings:
    """8-2 on the registration as it is today."""
    values = context.values
    findings = Findings()
    found = own.registered(context.customer.id, values.get("rider_number"), values.get("buyer_code"))
    if found is None:
        return findings
    rider, buyer, row = found
    if buyer.rating not in INCREASABLE:
        findings.error(
            STEP_TARGET, "buyer_code",
            f"支払限度額の増額申請は、格付EE・EA・SAのバイヤーに限ります（このバイヤーの格付：{buyer.rating}）",
        )  # fmt: skip
    if row.increases >= 1:
        findings.error(
            STEP_TARGET, "buyer_code", "この特約期間の支払限度額の増額はすでに行われています（特約期間中1回まで）"
        )
    day = today()
    if row.limit_set_on is not None and day < add_months(row.limit_set_on, INTERVAL_MONTHS):
        earliest = add_months(row.limit_set_on, INTERVAL_MONTHS)
        findings.error(
            STEP_TARGET, "buyer_code",
            f"支払限度額の増額は、限度額設定日（{own.japanese_day(row.limit_set_on)}）から3か月後の"
            f"{own.japanese_day(earliest)}以降にお申し込みください",
        )  # fmt: skip
    if day >= add_months(rider.ends_on, -CARRY_MONTHS):
        findings.inform(
            f"特約期間の満了日（{own.japanese_day(rider.ends_on)}）の5か月前以降に設定される増額のため、"
            "増額後の支払限度額は特約の更新後も引き継がれます。"
        )
    return findings


class IncreaseResultForm(NexiForm):
    """S.3 K02: the new 支払限度額 (the requested one proposed), above the current one."""

    help_prefix = "shared.rider_result"
    new_limit = fields.amount(
        "増額後の支払限度額（円）",
        currency=lambda form: "JPY",
        hint="希望限度額が入っています。現限度額より大きい金額です。",
    )

    @staticmethod
    def defaults(answers: dict, _application) -> dict:
        return {"new_limit": answers.get("requested_limit") or ""}

    def validate_new_limit(self, field):
        application = getattr(self, "application", None)
        found = application and own.registered(
            application.customer_id, self.answers.get("rider_number"), self.answers.get("buyer_code")
        )
        if found and field.data is not None and field.data <= (found[2].limit_jpy or 0):
            raise ValidationError(f"現限度額（{own.yen(found[2].limit_jpy)}）より大きい金額を入力してください")


def complete(application, inputs: dict) -> dict:
    """The new limit, set today, counted as the 特約期間's increase: one conditional UPDATE on the
    registration's version, so a change meanwhile (another 完了, a K03) refuses instead."""
    values = application.answers()
    found = own.registered(application.customer_id, values.get("rider_number"), values.get("buyer_code"))
    if found is None:
        raise Refused("対象の企総登録が見つかりません（削除されています）。差戻しまたは不承認としてください。")
    rider, buyer, row = found
    amount = amount_of(inputs.get("new_limit"))
    if amount is None or amount != amount.to_integral_value() or amount <= Decimal(row.limit_jpy or 0):
        raise Refused(f"増額後の支払限度額は現限度額（{own.yen(row.limit_jpy)}）より大きい金額で入力してください。")
    if row.increases >= 1:
        raise Refused("この特約期間の支払限度額の増額はすでに完了しています。差戻しまたは不承認としてください。")
    before, day = own.snapshot(row), today()
    changed = db.session().execute(
        update(RiderBuyer)
        .where(col(RiderBuyer.id) == row.id, col(RiderBuyer.version) == row.version)
        .where(col(RiderBuyer.state) == RegistrationState.IN_FORCE)
        .values(
            limit_jpy=int(amount),
            limit_set_on=day,
            increases=RiderBuyer.increases + 1,
            version=RiderBuyer.version + 1,
            updated_at=now(),
        )  # fmt: skip
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Refused("企総登録が同時に変更されました。内容を確認して、もう一度完了してください。")
    db.session().refresh(row)
    audited("increased", row, before)
    own.forget()
    return {
        "特約番号": rider.number,
        "バイヤーコード": f"{buyer.code} {buyer.name_en}",
        "支払限度額": own.yen(row.limit_jpy),
        "限度額設定日": own.japanese_day(day),
    }


INCREASE = Procedure(
    code="K02",
    title="支払限度額増額申請",
    section="8-2",
    chapter="comprehensive",
    path="limit-increase",
    steps=(Step(STEP_TARGET, "対象の企総登録", own.TargetForm), Step(STEP_INCREASE, "増額の内容", IncreaseForm)),
    describe=own.describe,
    check=_check,
    initial=own.initial(STEP_TARGET),
    exclusive=(
        Exclusive(
            key=own.target_key,
            message="この企総登録の支払限度額増額申請は、すでに申込み中です（1件まで）",
            step=STEP_TARGET,
            field="buyer_code",
        ),
    ),
    complete=complete,
    result_form=IncreaseResultForm,
    eligible=registrations.holds(registrations.HOLDS_RIDER),
    ineligible=registrations.REASONS[registrations.HOLDS_RIDER],
    intro=(
        "企総登録されたバイヤーの保険金支払限度額を、特約期間の途中で増額するための手続きです。\n"
        "増額申請ができるのは格付EE・EA・SAのバイヤーで、特約期間中1回まで、限度額設定日から3か月後以降です。"
        "特約期間の満了日の5か月前以降に設定された増額は、特約の更新後も引き継がれます。"
        "NEXIが審査し、増額後の支払限度額を「Web申込状況一覧」でお知らせします。"
    ),
)
