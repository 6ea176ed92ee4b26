"""K03 企総登録内容変更・削除 (DOMAIN.md 8-3, S.3), flow R: change the 仕向国, 決済方法 or 最長ユーザンス
of a buyer 企総登録 under the customer's 特約, or end the registration. A deletion while open
policies on that buyer exist warns (still allowed). NEXI's 完了 applies the change or sets 削除,
audit-logged with the row before and after (its history)."""

from sqlalchemy import update
from sqlmodel import col

from nexi import db, fields, masters, registrations
from nexi.clock import now
from nexi.conditions import When
from nexi.forms import NexiForm
from nexi.models import RegistrationState, RiderBuyer
from nexi.procedures.comprehensive import own
from nexi.procedures.comprehensive.history import audited
from nexi.procedures.engine import Context, Exclusive, Findings, Procedure, Refused, Step
from nexi.procedures.insurance.checks import SUSPENDED
from nexi.procedures.insurance.common import SETTLEMENT_METHODS
from nexi.text import bounded_int

STEP_TARGET, STEP_CHANGE, STEP_DELETE = "target", "change", "delete"
CHANGE, DELETE = "変更", "削除"
# answer → (column, label)
CHANGED = {
    "new_destination": ("destination", "仕向国"),
    "new_settlement_method": ("settlement_method", "決済方法"),
    "new_usance_days": ("max_usance_days", "最長ユーザンス"),
}


class ChangeTargetForm(own.TargetForm):
    """8-3 対象と区分."""

    sections = [("対象の企総登録", ["rider_number", "buyer_code"]), ("区分", ["kind"])]
    kind = fields.choice("区分", [(CHANGE, CHANGE), (DELETE, DELETE)], radio=True)


class _Present:
    """A hint that states the registration's present value, read only when the input screen shows it."""

    def __init__(self, form, column: str):
        self.form, self.column = form, column

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        row = own.registration_of(self.form)
        if row is None:
            return "変更しない場合は空欄のままにしてください。"
        value = getattr(row, self.column)
        if self.column == "destination":
            value = f"{value} {masters.country_name(value)}"
        elif self.column == "max_usance_days":
            value = "—" if value is None else f"{value}日"
        return f"現在：{value}。変更しない場合は空欄のままにしてください。"


def new_values(values: dict) -> dict:
    """The columns the answers change, as the registration stores them."""
    found = {}
    for name, (column, _label) in CHANGED.items():
        typed = values.get(name)
        if typed in (None, ""):
            continue
        found[column] = bounded_int(typed, 0, 729) if column == "max_usance_days" else typed
    return found


class ChangeForm(NexiForm):
    """8-3 変更内容: the new terms; blank = unchanged, at least one changed."""

    sections = [("変更内容", ["new_destination", "new_settlement_method", "new_usance_days"])]
    new_destination = fields.country("仕向国（変更後）", required=False)
    new_settlement_method = fields.choice("決済方法（変更後）", SETTLEMENT_METHODS, required=False)
    new_usance_days = fields.whole_number("最長ユーザンス（日）（変更後）", 0, 729, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (column, _label) in CHANGED.items():
            self[name].description = _Present(self, column)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        row = own.registration_of(self)
        typed = new_values(self.data_for_state())
        if not typed:
            self.new_destination.errors.append("変更する項目を1つ以上入力してください")
            return False
        if row is not None and all(getattr(row, column) == value for column, value in typed.items()):
            self.new_destination.errors.append("変更後の内容が現在の企総登録と同じです。変更する項目を入力してください")
            return False
        return True


class DeleteForm(NexiForm):
    """8-3 削除の理由."""

    sections = [("削除", ["reason"])]
    reason = fields.text("削除の理由", 1000, multiline=True)


def _check(context: Context) -> Findings:
    values = context.values
    findings = Findings()
    if values.get("kind") == CHANGE:
        country = masters.countries().get(values.get("new_destination") or "")
        if country is not None and country.policy == SUSPENDED:
            findings.error(
                STEP_CHANGE, "new_destination", f"仕向国（{country.name_ja}）は引受停止国のため、変更できません"
            )
    elif values.get("kind") == DELETE:
        found = own.registered(context.customer.id, values.get("rider_number"), values.get("buyer_code"))
        count = own.open_policies(context.customer.id, found[0].id, found[1].id) if found else 0
        if count:
            findings.warn(
                f"このバイヤーを支払人とする有効な保険契約が{count}件あります。企総登録を削除してよいかご確認ください。"
            )
    return findings


def complete(application, inputs: dict) -> dict:
    """Apply the change, or end the registration (state 削除), if the registration is still 有効
    and unchanged since it was read (one conditional UPDATE on its version)."""
    values = application.answers()
    found = own.registered(application.customer_id, values.get("rider_number"), values.get("buyer_code"))
    if found is None:
        raise Refused("対象の企総登録が見つかりません（削除されています）。差戻しまたは不承認としてください。")
    rider, buyer, row = found
    if values.get("kind") == DELETE:
        changes = {"state": RegistrationState.REMOVED}
    else:
        changes = new_values(values)
        if not changes:
            raise Refused("変更する項目がありません。差戻しまたは不承認としてください。")
    before = own.snapshot(row)
    changed = db.session().execute(
        update(RiderBuyer)
        .where(col(RiderBuyer.id) == row.id, col(RiderBuyer.version) == row.version)
        .where(col(RiderBuyer.state) == RegistrationState.IN_FORCE)
        .values(**changes, version=RiderBuyer.version + 1, updated_at=now())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Refused("企総登録が同時に変更されました。内容を確認して、もう一度完了してください。")
    db.session().refresh(row)
    audited("deleted" if values.get("kind") == DELETE else "changed", row, before)
    own.forget()
    result = {"特約番号": rider.number, "バイヤーコード": f"{buyer.code} {buyer.name_en}"}
    if values.get("kind") == DELETE:
        return result | {"企総登録": "削除"}
    shown = {
        "仕向国": f"{row.destination} {masters.country_name(row.destination)}",
        "決済方法": row.settlement_method,
        "最長ユーザンス": "—" if row.max_usance_days is None else f"{row.max_usance_days}日",
    }
    return result | {label: shown[label] for column, label in CHANGED.values() if column in changes}


CHANGE_OR_DELETE = Procedure(
    code="K03",
    title="企総登録内容変更・削除",
    section="8-3",
    chapter="comprehensive",
    path="registration-change",
    steps=(
        Step(STEP_TARGET, "対象と区分", ChangeTargetForm),
        Step(STEP_CHANGE, "変更内容", ChangeForm, when=When("kind", CHANGE)),
        Step(STEP_DELETE, "削除の理由", DeleteForm, when=When("kind", DELETE)),
    ),
    describe=own.describe,
    check=_check,
    initial=own.initial(STEP_TARGET),
    exclusive=(
        Exclusive(
            key=own.target_key,
            message="この企総登録の内容変更・削除は、すでに申込み中です（1件まで）",
            step=STEP_TARGET,
            field="buyer_code",
        ),
    ),
    complete=complete,
    eligible=registrations.holds(registrations.HOLDS_RIDER),
    ineligible=registrations.REASONS[registrations.HOLDS_RIDER],
    intro=(
        "企総登録されたバイヤーの仕向国・決済方法・最長ユーザンスを変更する、または企総登録を削除するための手続きです。\n"
        "このバイヤーを支払人とする有効な保険契約がある場合、削除の申込みでは注意が表示されます。"
        "NEXIが内容を確認して反映します。結果は「Web申込状況一覧」でご確認ください。"
    ),
)
