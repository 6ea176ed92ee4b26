"""The forms of K04 特約年度更新 (DOMAIN.md 8-4, S.3): 特約内容 (the 特約 with an open 更新案, 部門,
連絡先), the buyer rows of the 更新案 (継続 / 削除 + 希望限度額) with rows added as in K01, and NEXI's
result inputs at 完了 (per buyer 継続・削除 and limit, the new 特約番号)."""

from functools import lru_cache

from flask import g, has_request_context
from sqlmodel import col, select
from wtforms import StringField, ValidationError

from nexi import db, fields, masters
from nexi.forms import NexiForm, Required, select_choices
from nexi.models import Department, Rider
from nexi.procedures.buyers.rules import find
from nexi.procedures.comprehensive import renewal_effects as effects
from nexi.procedures.insurance.change_forms import LazyChoiceField
from nexi.procedures.insurance.checks import SUSPENDED
from nexi.procedures.insurance.common import SETTLEMENT_METHODS
from nexi.rows import RowsField

DECISIONS = [(effects.CONTINUE, "継続"), (effects.DROP, "削除")]
MAX_ADDED = 20


def _customer_id(form) -> int | None:
    customer = getattr(form.context, "customer", None)
    return customer.id if customer is not None else None


def proposal_rows(customer_id: int | None, rider_number: str | None) -> list:
    """The 更新案's rows of the customer's 特約 (kept per request: several forms ask)."""
    if customer_id is None or not rider_number:
        return []
    key = (customer_id, rider_number)
    store = g.setdefault("renewal_rows", {}) if has_request_context() else {}
    if key not in store:
        found = effects.proposal_of(customer_id, rider_number)
        store[key] = effects.rows(customer_id, found[1].id) if found else []
    return store[key]


def _rider_choices(form) -> list[tuple[str, str]]:
    return [
        (rider.number, f"{rider.number}（特約期間 {rider.starts_on:%Y/%m/%d}〜{rider.ends_on:%Y/%m/%d}）")
        for rider, _proposal in effects.answerable(form.context.customer.id)
    ]


def departments(customer_id: int) -> list[tuple[str, str]]:
    rows = db.session().exec(
        select(Department.code, Department.name)
        .where(col(Department.customer_id) == customer_id)
        .order_by(col(Department.code))
    )
    return [(code, f"{code} {name}") for code, name in rows]


class ContentsForm(NexiForm):
    """8-4 (1) 特約内容: the 特約 whose 更新案 is answered, its 部門 for the new period, 連絡先."""

    sections = [
        ("特約", ["rider_number", "departments"]),
        ("連絡先", ["contact_name", "contact_phone", "contact_email"]),
    ]
    rider_number = LazyChoiceField(
        "特約番号",
        validators=fields._presence("特約番号", True, None, choose=True),
        thing="特約番号",
        options=_rider_choices,
        show=str,
        description="NEXIから更新案が提示されている貴社の特約から選択してください。",
    )
    departments = fields.checkboxes(
        "部門", [], required=False, hint="更新後の特約の対象とする部門を選んでください（追加・削除できます）。"
    )
    contact_name = fields.text("担当者", 40)
    contact_phone = fields.text("電話番号", 20)
    contact_email = fields.text("e-mail", 254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        customer_id = _customer_id(self)
        self.departments.choices = select_choices(departments(customer_id) if customer_id else [])


class ProposalRow(NexiForm):
    """One buyer of the 更新案: 継続 or 削除, and the limit asked for the new period."""

    buyer_code = StringField(
        "バイヤーコード", validators=[Required("バイヤーコード")], render_kw={"readonly": True, "maxlength": "10"}
    )
    decision = fields.choice("継続・削除", DECISIONS)
    desired_limit = fields.amount("希望限度額（円）", currency=lambda form: "JPY", required=False, hint=None)


class AddedRow(NexiForm):
    """A buyer added at renewal, asked as in K01: registered, not in the list, 仕向国 not 引受停止."""

    buyer_code = fields.buyer_code("バイヤーコード", hint=None)
    destination = fields.country("仕向国")
    settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS)
    desired_limit = fields.amount("希望限度額（円）", currency=lambda form: "JPY", required=False, hint=None)

    def validate_buyer_code(self, field):
        if field.data and not field.errors and find(field.data) is None:
            raise ValidationError(f"バイヤーコード「{field.data}」は海外商社名簿に登録されていません")

    def validate_destination(self, field):
        country = masters.countries().get(field.data or "")
        if country is not None and country.policy == SUSPENDED:
            raise ValidationError(f"仕向国（{country.name_ja}）は引受停止国のため、登録できません")


class ProposalRows(RowsField):
    """The 更新案's rows: as many as it has, each prefilled from it (継続, or 削除 for a buyer
    marked 削除予定; the proposed limit)."""

    def wanted(self, form) -> int:
        return len(self._rows(form))

    def _rows(self, form):
        return proposal_rows(_customer_id(form), (form.answers or {}).get("rider_number"))

    def bind_to_form(self, form) -> None:
        self.prefill = lambda form, index: self._prefilled(self._rows(form)[index])
        super().bind_to_form(form)
        self.count_is_local, self.count_text = False, "更新案"

    @staticmethod
    def _prefilled(found) -> dict:
        row, buyer, _registration = found
        limit = row.proposed_limit_jpy
        return {"buyer_code": buyer.code, "decision": effects.DROP if row.unused else effects.CONTINUE,
                "desired_limit": f"{limit:,}" if limit else ""}  # fmt: skip


class BuyersForm(NexiForm):
    """8-4 (2) バイヤー: the 更新案's rows, and buyers added as in K01."""

    sections = [("更新案のバイヤー", ["rows"]), ("追加するバイヤー", ["added_count", "added"])]
    rows = ProposalRows(ProposalRow, "更新案のバイヤー", count="rider_number", row_name="{n}", row_heading="No.")
    added_count = fields.whole_number(
        "追加するバイヤー数", 0, MAX_ADDED, required=False, hint="追加しない場合は空欄です。"
    )
    added = RowsField(AddedRow, "追加するバイヤー", count="added_count", max_rows=MAX_ADDED, row_name="{n}",
                      row_heading="No.")  # fmt: skip

    def validate_rows(self, field):
        expected = [
            buyer.code for _row, buyer, _reg in proposal_rows(_customer_id(self), self.answers.get("rider_number"))
        ]
        if [entry.form.buyer_code.data for entry in field.entries] != expected:
            raise ValidationError("更新案のバイヤーが変更されています。画面を開き直してください")

    def validate_added(self, field):
        listed = {entry.form.buyer_code.data for entry in self.rows.entries}
        seen = set()
        for entry in field.entries:
            code = entry.form.buyer_code.data
            if code and (code in listed or code in seen):
                raise ValidationError(f"バイヤーコード「{code}」はすでに一覧にあります")
            seen.add(code)


# --- NEXI's result inputs at 完了 (S.3) -------------------------------------------------------------


def listed(answers: dict) -> list[dict]:
    """Every buyer row of the answers: the 更新案's, then the added ones (marked `added`)."""
    kept = [dict(row) for row in answers.get("rows") or [] if isinstance(row, dict)]
    added = [
        dict(row, decision=effects.CONTINUE, added=True) for row in answers.get("added") or [] if isinstance(row, dict)
    ]
    return kept + added


def suggested_number(number: str | None, year: int) -> str:
    """The old 特約番号 with the new period's year (staff may change it)."""
    return f"T{year}{number[5:]}" if number and effects.RIDER_NUMBER.fullmatch(number) else ""


class RenewalResultBase(NexiForm):
    new_number = StringField(
        "新しい特約番号",
        validators=[Required("新しい特約番号")],
        filters=[lambda value: value.upper() if isinstance(value, str) else value],
        description="「T」と西暦4桁・連番5桁の10文字です。例：T202700001",
        render_kw={"maxlength": "10", "autocomplete": "off"},
    )

    def validate_new_number(self, field):
        if not field.data:
            return
        if not effects.RIDER_NUMBER.fullmatch(field.data):
            raise ValidationError("新しい特約番号は「T」と西暦4桁・連番5桁で入力してください")
        if db.session().exec(select(Rider.id).where(col(Rider.number) == field.data)).first() is not None:
            raise ValidationError("この特約番号はすでに登録されています。別の番号を入力してください")

    @staticmethod
    def defaults(answers: dict, application) -> dict:
        found = effects.proposal_of(application.customer_id, answers.get("rider_number"))
        year = effects.next_period(found[0])[0].year if found else None
        values = {"new_number": suggested_number(answers.get("rider_number"), year) if year else ""}
        for index, row in enumerate(listed(answers)):
            values[f"decision_{index}"] = row.get("decision") or effects.CONTINUE
            values[f"limit_{index}"] = row.get("desired_limit") or ""
        return values


@lru_cache(maxsize=64)
def _result_class(codes: tuple[tuple[str, bool], ...]) -> type[NexiForm]:
    """One form class per list of buyers (the same list gives the same class)."""
    names: dict = {}
    section = ["new_number"]
    for index, (code, added) in enumerate(codes):
        mark = "（追加）" if added else ""
        names[f"decision_{index}"] = fields.choice(f"{code}{mark} 継続・削除", DECISIONS, radio=True)
        names[f"limit_{index}"] = fields.amount(
            f"{code} 支払限度額（円）", currency=lambda form: "JPY", required=False, hint="空欄は限度額なしです。"
        )
        section += [f"decision_{index}", f"limit_{index}"]
    names["sections"] = [("更新後の特約", section)]
    return type("RenewalResultForm", (RenewalResultBase,), names)


def result_form(answers: dict) -> type[NexiForm]:
    return _result_class(tuple((row.get("buyer_code") or "", bool(row.get("added"))) for row in listed(answers)))


def rider_key(values: dict) -> str | None:
    return values.get("rider_number") or None


def describe(values: dict) -> tuple[str, str | None]:
    number = values.get("rider_number") or ""
    return f"{number} 特約年度更新".strip(), rider_key(values)
