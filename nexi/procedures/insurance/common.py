"""The common 申込 fields of DOMAIN.md 9-1, written once for IA1 and the later IB1, IC1, ID1, IF1.

Three steps — 契約・当事者, 貨物・金額・決済, 付保・確認 — whose field names are unique across
them (the engine merges every step's answers for the rules of checks.py). A question asked only
for some answers says so with `when=When(...)`; without JavaScript it is always shown and an
answer left in a question that no longer applies counts for nothing.
"""

import re
from decimal import ROUND_FLOOR, Decimal

from sqlmodel import col, select
from wtforms import StringField, ValidationError

from nexi import db, fields, masters
from nexi.clock import today
from nexi.conditions import When
from nexi.estimate import cover_choices
from nexi.forms import ChoiceField, MaxChars, NexiForm, Optional, Required, select_choices
from nexi.models import Department
from nexi.procedures.buyers.rules import Registered, find
from nexi.procedures.engine import Step
from nexi.rows import RowsField, rows_in_order
from nexi.text import amount_of, bounded_int

CONTRACT_TYPES = [("11", "11 輸出"), ("15", "15 仲介貿易"), ("21", "21 技術提供")]
SETTLEMENT_METHODS = [(name, name) for name in ("L/C一覧払", "L/C期限付", "D/P", "D/A", "送金", "その他")]
LC_METHODS = ("L/C一覧払", "L/C期限付")
SETTLEMENT_FORMS = [("1", "1 均等"), ("2", "2 一部不均等"), ("3", "3 不均等")]
COVERS = [("pre", "船前（船積前）"), ("post", "船後（船積後）")]
INTERMEDIARY = When("contract_type", "15")
BY_LC = When("settlement_method", *LC_METHODS)
PRE = When("cover", "pre")
FOREIGN = When("currency") & ~When("currency", "JPY")
STEP_CONTRACT, STEP_MONEY, STEP_COVER = "contract", "money", "cover"


def payer_code(values: dict) -> str | None:
    """支払人: as entered, else the 契約相手方 (9-1: default = 契約相手方)."""
    return values.get("payer_code") or values.get("counterparty_code") or None


class DepartmentField(ChoiceField):
    """部門: one of the customer's (C.4: another customer's is no choice). Read only to offer or
    judge a choice; shown as its code, so a screen that just shows the answer reads nothing."""

    def __init__(self, label=None, validators=None, thing=None, **kw):
        self._lazy_choices, self._form = None, None
        super().__init__(label, validators, thing=thing, choices=[], **kw)

    @property
    def choices(self):
        form = self._form
        if self._lazy_choices is None and form is not None and form.context is not None:
            rows = db.session().exec(
                select(Department.code, Department.name)
                .where(Department.customer_id == form.context.customer.id)
                .order_by(col(Department.code))
            )
            self._lazy_choices = select_choices([("", "選択してください"), *[(c, f"{c} {n}") for c, n in rows]])
        return self._lazy_choices or select_choices([("", "選択してください")])

    @choices.setter
    def choices(self, value) -> None:
        self._lazy_choices = None

    def bind_to_form(self, form) -> None:
        self._form = form

    def shown(self) -> str:
        return self.data or "（選択なし）"


class PayerField(StringField):
    """支払人: blank means the 契約相手方 (9-1), and 確認 says so."""

    def shown(self) -> str:
        return self.data or "（契約相手方と同じ）"


def _payer_field():
    field = fields.buyer_code(
        "支払人", required=False, extra=[Registered("支払人")], hint="空欄の場合は契約相手方と同じです。例：304-000123"
    )
    field.field_class = PayerField
    return field


class ContractForm(NexiForm):
    """9-1 契約・当事者."""

    sections = [
        ("被保険者", ["insured", "department"]),
        ("契約", ["contract_type", "contract_no", "contracted_on", "effective_on"]),
        ("当事者", ["counterparty_code", "counterparty_name", "payer_code", "guarantor_code"]),
        ("仲介貿易", ["shipment_country", "buyer_code_intermediary"]),
        ("仕向国", ["destination"]),
    ]
    insured = StringField(
        "被保険者",
        validators=[Required("被保険者"), MaxChars("被保険者", 9)],
        description="保険利用者コードです（変更できません）。",
        render_kw={"readonly": True, "maxlength": "9"},
    )
    department = DepartmentField("部門", validators=[Optional()], thing="部門")
    contract_type = fields.choice("契約形態", CONTRACT_TYPES, radio=True)
    contract_no = fields.text("輸出契約番号", 30, required=False)
    contracted_on = fields.day("契約締結日")
    effective_on = fields.day("発効日", required=False)
    counterparty_code = fields.buyer_code("契約相手方", extra=[Registered("契約相手方")])
    counterparty_name = fields.text("契約書上の名称", 140, required=False)
    payer_code = _payer_field()
    guarantor_code = fields.buyer_code(
        "保証人", required=False, extra=[Registered("保証人")], hint="保証付きの取引の場合に入力してください。"
    )
    shipment_country = fields.country("船積国", when=INTERMEDIARY)
    buyer_code_intermediary = fields.buyer_code("買契約相手方", when=INTERMEDIARY, extra=[Registered("買契約相手方")])
    destination = fields.country("仕向国")

    def validate_insured(self, field):
        if self.context is not None and field.data != self.context.customer.code:
            raise ValidationError("被保険者はご自身の保険利用者コードから変更できません")

    def validate_contracted_on(self, field):
        if field.data and field.data > today():
            raise ValidationError("契約締結日に未来の日付は入力できません")

    def validate_effective_on(self, field):
        if field.data and self.contracted_on.data and field.data < self.contracted_on.data:
            raise ValidationError("発効日は契約締結日以降の日付を入力してください")


def _equal_share(form, index: int) -> dict:
    """A new row of a 1 均等 schedule: (契約金額 − 前受金) / 決済回数 rounded down to the currency's
    decimals, the remainder on the last row (9-1)."""
    if form.answer("settlement_form") != "1":
        return {}
    contract, advance = amount_of(form.answer("contract_amount")), amount_of(form.answer("advance") or "0")
    count = bounded_int(form.answer("settlement_count"), 1, 60)
    places = masters.decimals(form.answer("currency") or "") if form.answer("currency") else None
    if contract is None or advance is None or count is None or places is None or advance >= contract:
        return {}
    total, unit = contract - advance, Decimal(1).scaleb(-places)
    share = (total / count).quantize(unit, rounding=ROUND_FLOOR)
    amount = total - share * (count - 1) if index == count - 1 else share
    return {"amount": f"{amount:,.{places}f}"}


class PaymentRow(NexiForm):
    due_on = fields.day("決済期限", hint=None)
    amount = fields.amount("金額", currency="currency", hint=None)


class MoneyForm(NexiForm):
    """9-1 貨物・金額・決済."""

    sections = [
        ("貨物", ["goods", "commodity"]),
        ("金額", ["currency", "contract_amount", "advance", "cover", "fob"]),
        ("船積", ["first_shipment_on", "last_shipment_on"]),
        ("決済", ["settlement_method", "lc_bank_code", "lc_confirmed", "settlement_form", "settlement_count",
                  "schedule", "usance_days", "foreign_currency_rider"]),
    ]  # fmt: skip
    goods = fields.text("貨物名", 100)
    commodity = ChoiceField(
        "商品区分",
        validators=[Required("商品区分", choose=True)],
        choices=lambda: [("", "選択してください"), *masters.commodity_choices()],
        thing="商品区分",
    )
    currency = fields.currency()
    contract_amount = fields.amount("契約金額", currency="currency")
    advance = fields.amount("前受金", currency="currency", required=False, zero=True)
    cover = fields.checkboxes("付保", COVERS, hint="船後（船積後）は必ず付保します。船前（船積前）は任意です。")
    fob = fields.amount("FOB価額", currency="currency", when=PRE)
    first_shipment_on = fields.day("船積期日（初回）")
    last_shipment_on = fields.day("船積期日（最終）")
    settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS)
    lc_bank_code = fields.buyer_code("L/C発行・確認銀行", when=BY_LC, extra=[Registered("L/C発行・確認銀行")])
    lc_confirmed = fields.checkboxes("確認L/C", [("y", "確認L/Cである")], required=False, when=BY_LC)
    settlement_form = fields.choice("決済形態", SETTLEMENT_FORMS, radio=True)
    settlement_count = fields.whole_number("決済回数", 1, 60)
    schedule = RowsField(PaymentRow, "決済スケジュール", count="settlement_count", prefill=_equal_share, max_rows=60)
    usance_days = fields.whole_number("ユーザンス（日）", 0, 729, hint="一覧払の場合は0を入力してください。")
    foreign_currency_rider = fields.checkboxes(
        "外貨建対応特約", [("y", "外貨建対応特約を付ける")], required=False, when=FOREIGN
    )

    def validate_advance(self, field):
        if field.data is not None and self.contract_amount.data is not None and field.data >= self.contract_amount.data:
            raise ValidationError("前受金は契約金額より少ない金額で入力してください")

    def validate_cover(self, field):
        if field.data and "post" not in field.data:
            raise ValidationError("付保は船後（船積後）を必ず選択してください")

    def validate_fob(self, field):
        if field.data is not None and self.contract_amount.data is not None and field.data > self.contract_amount.data:
            raise ValidationError("FOB価額は契約金額以下で入力してください")

    def validate_last_shipment_on(self, field):
        first = self.first_shipment_on.data
        if field.data and first and field.data < first:
            raise ValidationError("船積期日（最終）は船積期日（初回）以降の日付を入力してください")

    def validate_schedule(self, field):
        rows_in_order(field, "due_on", "決済期限")
        first = self.first_shipment_on.data
        if first and any(entry.form.due_on.data and entry.form.due_on.data < first for entry in field.entries):
            raise ValidationError("決済期限は船積期日（初回）以降の日付を入力してください")
        amounts = [entry.form.amount.data for entry in field.entries]
        contract = self.contract_amount.data
        if contract is None or not amounts or any(amount is None for amount in amounts):
            return
        expected = contract - (self.advance.data or Decimal(0))
        if sum(amounts) != expected:
            raise ValidationError("決済スケジュールの金額の合計が契約金額から前受金を引いた金額と一致しません")


def _offered(form, product: str) -> dict:
    """The 付保率 choices for the 支払人 the answers name, read once per form (four fields ask); a
    product whose choices depend on more than the rating (ID1: the 企総登録) gives its cover form a
    method `cover_offered()` that computes them instead."""
    own = getattr(form, "cover_offered", None)
    if "_offered" not in form.__dict__ and own is not None:
        form.__dict__["_offered"] = own()
    elif "_offered" not in form.__dict__:
        buyer = find(payer_code(form.answers)) if form.answers else None
        rating = masters.ratings().get(buyer.rating) if buyer else None
        form.__dict__["_offered"] = cover_choices(
            product, buyer.rating if buyer else None, rating.cover if rating else None
        )
    return form.__dict__["_offered"]


class CoverRateField(ChoiceField):
    """A 付保率 of 9-2, offered as the product and the 支払人's rating allow (estimate.cover_choices):
    a credit-不可 payer's 信用付保率 can only be 0 (9-3), and is then chosen already.

    The choices are read from the register only when needed — to offer them, to judge an answer,
    or to choose the only one — so a screen that just shows an answer (確認, NEXI's review) reads
    no buyer for it."""

    def __init__(self, label=None, validators=None, thing=None, *, key: str, product: str, **kw):
        self._lazy_choices, self._form = None, None
        super().__init__(label, validators, thing=thing, choices=[], **kw)
        self.key, self.product = key, product

    @property
    def choices(self):
        if self._lazy_choices is None and self._form is not None:
            values = [str(value) for value in _offered(self._form, self.product)[self.key]]
            self._lazy_choices = select_choices([("", "選択してください"), *[(value, f"{value}%") for value in values]])
        return self._lazy_choices or []

    @choices.setter
    def choices(self, value) -> None:
        self._lazy_choices = None  # computed from the answers once the field is bound (bind_to_form)

    def bind_to_form(self, form) -> None:
        self._form = form
        if not self.data and form.applies(self):
            offered = [choice.value for choice in self.choices if choice.value]
            if len(offered) == 1:  # forced (as if chosen), so it is kept and shown
                self.data, self.raw_data = offered[0], [offered[0]]

    def shown(self) -> str:
        return f"{self.data}%" if self.data else "（選択なし）"


def cover_rate(label: str, key: str, product: str, *, when=None):
    return CoverRateField(
        label,
        validators=fields._presence(label, True, when, choose=True),
        thing=label,
        key=key,
        product=product,
    )


def _email(form, field):
    if field.data and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data):
        raise ValidationError("e-mailを正しい形式で入力してください")


def _phone(form, field):
    digits = (field.data or "").replace("-", "")
    if field.data and (not re.fullmatch(r"[\d-]+", field.data) or not 10 <= len(digits) <= 13):
        raise ValidationError("電話は10～13桁の数字で入力してください（ハイフン「-」は含めても構いません）")


def cover_form(product: str) -> type[NexiForm]:
    """9-1 付保・確認 for `product` (its 付保率 choices of 9-2)."""

    class CoverForm(NexiForm):
        """9-1 付保・確認."""

        sections = [
            ("付保率（船前）", ["pre_political", "pre_commercial"]),
            ("付保率（船後）", ["post_political", "post_commercial"]),
            ("個別保証枠・内諾", ["confirmation_number", "approval_number", "approval_on"]),
            ("担当者", ["contact_name", "contact_phone", "contact_email"]),
        ]
        pre_political = cover_rate("船前 非常危険付保率", "pre_political", product, when=PRE)
        pre_commercial = cover_rate("船前 信用危険付保率", "pre_commercial", product, when=PRE)
        post_political = cover_rate("船後 非常危険付保率", "post_political", product)
        post_commercial = cover_rate("船後 信用危険付保率", "post_commercial", product)
        confirmation_number = fields.text(
            "個別保証枠 確認管理番号",
            11,
            required=False,
            hint="支払人が格付EE・EA・EM・EFの場合に入力してください。例：K2026000123",
        )
        approval_number = fields.text("内諾番号", 20, required=False)
        approval_on = fields.day("内諾年月日", required=False)
        contact_name = fields.text("担当者", 40)
        contact_phone = fields.text("電話", 20, hint="例：03-1234-5678")
        contact_email = fields.text("e-mail", 254)

        def validate_pre_commercial(self, field):
            political = amount_of(self.pre_political.data)
            commercial = amount_of(field.data)
            if political is not None and commercial is not None and commercial > political:
                raise ValidationError("船前 信用危険付保率は船前 非常危険付保率以下を選択してください")

        def validate_confirmation_number(self, field):
            if field.data and not re.fullmatch(r"K\d{10}", field.data.upper()):
                raise ValidationError("個別保証枠 確認管理番号は「K2026000123」の形式で入力してください")

        def validate_approval_on(self, field):
            if field.data and field.data > today():
                raise ValidationError("内諾年月日に未来の日付は入力できません")

        validate_contact_phone = _phone
        validate_contact_email = _email

    return CoverForm


def steps(product: str, *, contract=None, money=None, cover=None) -> tuple[Step, ...]:
    """The three 9-1 steps of `product`: these forms, or a product's subclasses of them."""
    return (
        Step(STEP_CONTRACT, "契約・当事者", contract or ContractForm),
        Step(STEP_MONEY, "貨物・金額・決済", money or MoneyForm),
        Step(STEP_COVER, "付保・確認", cover or cover_form(product)),
    )


def initial(context) -> dict:
    """Prefill (9-1): 被保険者 = the customer's code, the 担当者 from the user."""
    user = context.user
    return {
        STEP_CONTRACT: {"insured": context.customer.code},
        STEP_MONEY: {"cover": ["post"], "commodity": "一般"},
        STEP_COVER: {"contact_name": user.name, "contact_phone": user.phone, "contact_email": user.email},
    }
