"""The 変更 fields of DOMAIN.md 9-5 for IA2 (and the later IB2, IC2, ID2): step 1 names the policy
(one of the customer's own in 有効 or 一部決済), the 変更事由発生日, the 理由 and the 変更種別; step 2
asks only the fields of the chosen kinds (conditions on the multi-select).

Kinds: 金額増額, 金額減額, 解約, 通貨変更, 支払人・決済条件変更 (新支払人, 決済方法, ユーザンス; the
決済スケジュール stays as it is), 仕向地変更, 船積期日延長, 決済期日延長 (one 決済期限 per change).
"""

import re
from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import select
from sqlmodel import col
from wtforms import ValidationError

from nexi import db, fields, masters, policies
from nexi.clock import today
from nexi.conditions import When
from nexi.forms import NexiForm, asked_when
from nexi.inputs import LazyChoiceField  # noqa: F401  (the choices of 変更 and the other products)
from nexi.models import Buyer, Policy, PolicyState
from nexi.procedures.buyers.rules import Registered
from nexi.procedures.insurance import change_schedule
from nexi.procedures.insurance.common import LC_METHODS, SETTLEMENT_METHODS
from nexi.procedures.insurance.policy_rows import parties
from nexi.procedures.limits import own
from nexi.rows import RowsField
from nexi.text import bounded_int

INCREASE, DECREASE, CANCEL, CURRENCY = "increase", "decrease", "cancel", "currency"
DESTINATION, SHIPMENT, SETTLEMENT = "destination", "shipment", "settlement"
PAYER = "payer"
KINDS = [
    (INCREASE, "金額増額"),
    (DECREASE, "金額減額"),
    (CANCEL, "解約"),
    (CURRENCY, "通貨変更"),
    (PAYER, "支払人・決済条件変更"),
    (DESTINATION, "仕向地変更"),
    (SHIPMENT, "船積期日延長"),
    (SETTLEMENT, "決済期日延長"),
]
KIND_LABELS = dict(KINDS)
CHANGEABLE = (PolicyState.IN_FORCE, PolicyState.PART_SETTLED)  # 9-5: own, 有効 or 一部決済
STEP_TARGET, STEP_CONTENT = "target", "content"
# the kinds whose new values feed 9-3 again (案件枠, 最長ユーザンス, the countries)
RECHECKED = (INCREASE, CURRENCY, PAYER, DESTINATION, SHIPMENT, SETTLEMENT)
MAX_USANCE_DAYS = 729  # 決済期日延長: a ユーザンス of less than 730 days (9-5)


def kinds_of(values: dict) -> list[str]:
    chosen = values.get("kinds") or []
    return [key for key, _ in KINDS if key in chosen]


def policy_key(values: dict) -> str | None:
    number, branch = values.get("policy_number") or "", values.get("branch") or ""
    return f"{number}-{branch}" if number and branch else None


def chosen_policy(values: dict, customer) -> Policy | None:
    """The customer's own policy the answers name (any state: the rules say what may change)."""
    if customer is None:
        return None
    return own.policy(customer.id, policy_key(values))


def changeable(customer_id: int, product: str) -> list[tuple[Policy, str]]:
    """The customer's own policies of `product` in 有効 or 一部決済 with their 支払人, in one statement
    (C.4: scoped by the 保険利用者, so another customer's number is never offered nor accepted; each
    I*2 changes its own product's)."""

    def load():
        rows = db.session().execute(
            select(Policy, Buyer.code, Buyer.name_en)
            .join(Buyer, col(Buyer.id) == Policy.payer_id)
            .where(col(Policy.customer_id) == customer_id, col(Policy.state).in_(CHANGEABLE))
            .where(col(Policy.product) == product)
            .order_by(col(Policy.number), col(Policy.branch))
        )
        return [(row, f"{code} {name}") for row, code, name in rows]

    if not has_request_context():
        return load()
    store = g.setdefault("changeable_policies", {})
    if (customer_id, product) not in store:
        store[customer_id, product] = load()
    return store[customer_id, product]


def _policy_choices(form) -> list[tuple[str, str]]:
    seen, choices = set(), []
    for row, payer in changeable(form.context.customer.id, form.product):
        if row.number in seen:  # one entry per 証券番号; the 枝番 is asked beside it
            continue
        seen.add(row.number)
        choices.append((row.number, f"{row.number}（支払人 {payer}、{own.money(row.contract_amount, row.currency)}）"))
    return choices


class Hint:
    """A hint that states the policy's present value, read only when an input screen shows it."""

    def __init__(self, form, text):
        self.form, self.text = form, text

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        row = self.form.policy()
        return self.text(row) if row is not None else ""


def _amount_hint(row) -> str:
    return f"{row.currency}で入力してください（現在の契約金額：{own.money(row.contract_amount, row.currency)}）。"


def _currency_hint(row) -> str:
    return f"新通貨で入力してください（現在の契約金額：{own.money(row.contract_amount, row.currency)}）。"


def _destination_hint(row) -> str:
    country = masters.countries().get(row.destination)
    return f"現在の仕向国：{country.name_ja if country else row.destination}"


def _payer_hint(row) -> str:
    payer = parties(row).get(row.payer_id)
    return f"空欄の場合は変更しません（現在の支払人：{payer.code if payer else ''}）。例：304-000123"


def _method_hint(row) -> str:
    return f"現在の決済方法：{row.settlement_method}"


def _usance_hint(row) -> str:
    return f"一覧払の場合は0を入力してください（現在のユーザンス：{row.usance_days}日）。"


def _shipment_hint(row) -> str:
    return f"現在の船積期日（最終）：{own.japanese_day(row.last_shipment_on)}。例：2026-04-15"


class ChangeTargetForm(NexiForm):
    """9-5 common fields."""

    sections = [("対象の保険", ["policy_number", "branch"]), ("変更の内容", ["occurred_on", "reason", "kinds"])]
    policy_number = LazyChoiceField(
        "証券番号",
        validators=fields._presence("証券番号", True, None, choose=True),
        thing="証券番号",
        options=_policy_choices,
        show=str,
        description="貴社の保険（有効・一部決済）から選択してください。",
    )
    branch = fields.text("枝番", 2, ascii_only=True, hint="2桁の数字です。例：00")
    occurred_on = fields.day("変更事由発生日")
    reason = fields.text("理由", 1000, multiline=True)
    kinds = fields.checkboxes("変更種別", KINDS, hint="該当するものをすべて選択してください。")
    product = "01"  # 保険種別 whose policies are offered (IA2; individual_change.target_form subclasses it)

    def validate_branch(self, field):
        if not field.data:
            return
        if not re.fullmatch(r"\d{2}", field.data):
            raise ValidationError("枝番は2桁の半角数字で入力してください")
        number = self.policy_number.data
        if number and self.context is not None:
            found = [row for row, _ in changeable(self.context.customer.id, self.product) if row.number == number]
            if found and not any(row.branch == field.data for row in found):
                raise ValidationError(f"証券番号「{number}」に枝番「{field.data}」の有効な保険はありません")

    def validate_occurred_on(self, field):
        if field.data and field.data > today():
            raise ValidationError("変更事由発生日に未来の日付は入力できません")

    def validate_kinds(self, field):
        chosen = field.data or []
        if CANCEL in chosen and len(chosen) > 1:
            raise ValidationError("解約は他の変更種別と同時に選択できません")
        if INCREASE in chosen and DECREASE in chosen:
            raise ValidationError("金額増額と金額減額は同時に選択できません")
        if CURRENCY in chosen and (INCREASE in chosen or DECREASE in chosen):
            raise ValidationError(
                "通貨変更と金額増額・金額減額は同時に選択できません（通貨変更の新契約金額で入力してください）"
            )
        if PAYER in chosen and INCREASE in chosen:  # one 確認管理番号: the increment's or the new payer's
            raise ValidationError("支払人・決済条件変更と金額増額は同時に選択できません（順にお届けください）")


def instalment_label(row) -> str:
    return f"第{row.position}回 {own.japanese_day(row.due_on)}"


def _instalment_choices(form) -> list[tuple[str, str]]:
    """The policy's 決済期限 not yet settled in full: the ones whose date can still move."""
    row = form.policy()
    if row is None:
        return []
    return [
        (
            str(item.position),
            f"{instalment_label(item)}（未決済額 {own.money(policies.outstanding(item), row.currency)}）",
        )
        for item in policies.instalments_of(row.id)
        if policies.outstanding(item) > 0
    ]


def _currency(form) -> str | None:
    row = chosen_policy(form.answers, getattr(form.context, "customer", None))
    return row.currency if row else None


def _minor(amount: Decimal, currency: str) -> int:
    return int(Decimal(amount).scaleb(masters.decimals(currency) or 0))


class ChangeContentForm(NexiForm):
    """9-5 the fields of the chosen 変更種別."""

    sections = [
        ("金額増額", ["increased_amount", "confirmation_number"]),
        ("金額減額", ["decreased_amount"]),
        ("解約", ["cancelled_on"]),
        ("通貨変更", ["new_currency", "new_currency_amount"]),
        (
            "支払人・決済条件変更",
            ["new_payer_code", "new_settlement_method", "new_usance_days", "new_settlement_count", "new_schedule"],
        ),
        ("仕向地変更", ["new_destination"]),
        ("船積期日延長", ["new_last_shipment_on"]),
        ("決済期日延長", ["extended_instalment", "new_due_on"]),
        ("内諾", ["approval_number", "approval_on"]),
    ]
    increased_amount = fields.amount("新契約金額（増額後）", currency=_currency, when=When("kinds", INCREASE))
    confirmation_number = fields.text(
        "個別保証枠 確認管理番号",
        11,
        required=False,
        when=When("kinds", INCREASE, PAYER),
        hint="（増額後の・新しい）支払人が格付EE・EA・EM・EFで信用危険をてん補している場合に入力してください。"
        "例：K2026000123",
    )
    decreased_amount = fields.amount("新契約金額（減額後）", currency=_currency, when=When("kinds", DECREASE))
    cancelled_on = fields.day("解約日", when=When("kinds", CANCEL))
    new_currency = fields.currency("新通貨", when=When("kinds", CURRENCY))
    new_currency_amount = fields.amount("新契約金額（新通貨）", currency="new_currency", when=When("kinds", CURRENCY))
    new_payer_code = fields.buyer_code(
        "新支払人", required=False, when=When("kinds", PAYER), extra=[Registered("新支払人")]
    )
    new_settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS, when=When("kinds", PAYER))
    new_usance_days = fields.whole_number("ユーザンス（日）", 0, MAX_USANCE_DAYS, when=When("kinds", PAYER))
    # the 決済スケジュール of the part not yet settled, entered again (change_schedule.py)
    new_settlement_count = fields.whole_number("新決済回数", 1, 60, when=When("kinds", PAYER),
                                               hint="未決済の部分を何回で決済するかを入力してください。")  # fmt: skip
    new_schedule = RowsField(
        change_schedule.ChangePaymentRow,
        "新決済スケジュール",
        validators=asked_when(When("kinds", PAYER)),
        count="new_settlement_count",
        prefill=change_schedule.prefill,
        max_rows=60,
    )
    new_destination = fields.country("新仕向国", when=When("kinds", DESTINATION))
    new_last_shipment_on = fields.day("新最終船積日", when=When("kinds", SHIPMENT))
    extended_instalment = LazyChoiceField(
        "対象決済期限",
        validators=fields._presence("対象決済期限", True, When("kinds", SETTLEMENT), choose=True),
        thing="対象決済期限",
        options=_instalment_choices,
        show=lambda value: f"第{value}回",
        description="延長する決済期限（未決済のもの）を選択してください。",
    )
    new_due_on = fields.day("新決済期限", when=When("kinds", SETTLEMENT))
    approval_number = fields.text(
        "内諾番号",
        20,
        required=False,
        when=When("kinds", *RECHECKED),
        hint="条件付引受国で内諾が必要な場合に入力してください。",
    )
    approval_on = fields.day("内諾年月日", required=False, when=When("kinds", *RECHECKED))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # what the policy says now, beside each new value
        self.increased_amount.description = Hint(self, _amount_hint)
        self.decreased_amount.description = Hint(self, _amount_hint)
        self.new_destination.description = Hint(self, _destination_hint)
        self.new_currency_amount.description = Hint(self, _currency_hint)
        self.new_last_shipment_on.description = Hint(self, _shipment_hint)
        self.new_payer_code.description = Hint(self, _payer_hint)
        self.new_settlement_method.description = Hint(self, _method_hint)
        self.new_usance_days.description = Hint(self, _usance_hint)

    def policy(self) -> Policy | None:
        return chosen_policy(self.answers, getattr(self.context, "customer", None))

    def validate_increased_amount(self, field):
        row = self.policy()
        if field.data is not None and row is not None and _minor(field.data, row.currency) <= row.contract_amount:
            raise ValidationError(
                f"新契約金額は現在の契約金額（{own.money(row.contract_amount, row.currency)}）より大きい金額で入力してください"
            )

    def validate_decreased_amount(self, field):
        row = self.policy()
        if field.data is None or field.data <= 0 or row is None:  # 0 itself: the field's own message
            return
        if _minor(field.data, row.currency) >= row.contract_amount:
            raise ValidationError(
                f"新契約金額は現在の契約金額（{own.money(row.contract_amount, row.currency)}）より小さい金額で入力してください"
            )
        if _minor(field.data, row.currency) <= row.advance:
            raise ValidationError("新契約金額は前受金より大きい金額で入力してください")

    def validate_cancelled_on(self, field):
        row = self.policy()
        if field.data and row is not None and field.data < row.contracted_on:
            raise ValidationError("解約日は契約締結日以降の日付を入力してください")

    def validate_new_currency(self, field):
        row = self.policy()
        if field.data and row is not None and field.data == row.currency:
            raise ValidationError(f"新通貨は現在の通貨（{row.currency}）と異なる通貨を選択してください")

    def validate_new_settlement_method(self, field):
        row = self.policy()
        if not field.data or row is None:
            return
        if field.data in LC_METHODS and row.lc_bank_id is None:  # the L/C bank is no field of a 変更
            raise ValidationError(
                "L/C発行・確認銀行の登録がない保険は、L/C決済に変更できません（NEXIにご相談ください）"
            )
        payer = parties(row).get(row.payer_id)
        same_payer = not self.new_payer_code.data or (payer is not None and self.new_payer_code.data == payer.code)
        usance = self.new_usance_days.data
        if same_payer and field.data == row.settlement_method and (usance is None or usance == row.usance_days):
            raise ValidationError("支払人・決済方法・ユーザンスのいずれかを現在と異なる内容にしてください")

    def validate_new_destination(self, field):
        row = self.policy()
        if field.data and row is not None and field.data == row.destination:
            raise ValidationError("新仕向国は現在の仕向国と異なる国を選択してください")

    def validate_new_last_shipment_on(self, field):
        row = self.policy()
        if field.data and row is not None and field.data <= row.last_shipment_on:
            raise ValidationError(
                f"新最終船積日は現在の船積期日（最終）（{own.japanese_day(row.last_shipment_on)}）より後の日付を入力してください"
            )

    def validate_new_due_on(self, field):
        row = self.policy()
        chosen = bounded_int(self.extended_instalment.data, 1, 60)
        if not field.data or row is None or chosen is None:
            return
        rows = policies.instalments_of(row.id)
        current = next((item for item in rows if item.position == chosen), None)
        if current is None:
            return
        if field.data <= current.due_on:
            raise ValidationError(
                f"新決済期限は現在の決済期限（{own.japanese_day(current.due_on)}）より後の日付を入力してください"
            )
        following = [item for item in rows if item.due_on > current.due_on]
        if following and field.data >= following[0].due_on:
            raise ValidationError(
                f"新決済期限は次の決済期限（第{following[0].position}回 {own.japanese_day(following[0].due_on)}）"
                "より前の日付を入力してください"
            )
        shipped = self.new_last_shipment_on.data if self.applies(self.new_last_shipment_on) else None
        if (field.data - (shipped or row.last_shipment_on)).days > MAX_USANCE_DAYS:
            raise ValidationError("新決済期限までのユーザンス（船積期日（最終）からの日数）は730日未満としてください")

    def validate_new_schedule(self, field):
        change_schedule.check(self, field)

    def validate_confirmation_number(self, field):
        if field.data and not re.fullmatch(r"K\d{10}", field.data.upper()):
            raise ValidationError("個別保証枠 確認管理番号は「K2026000123」の形式で入力してください")

    def validate_approval_on(self, field):
        if field.data and field.data > today():
            raise ValidationError("内諾年月日に未来の日付は入力できません")
