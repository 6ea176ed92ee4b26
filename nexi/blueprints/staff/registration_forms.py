"""Forms of what staff register for a customer (S.6, §8, 9-4): 組合員資格, the 企業総合保険特約 and
its 企総登録, the 簡易通知型包括保険契約 and its 簡易包括登録. No help prefix: the customers' help pages
must not describe the staff console."""

import re
from datetime import timedelta

from wtforms import StringField, ValidationError

from nexi import fields
from nexi.blueprints.staff import registration_queries as queries
from nexi.blueprints.staff.buyer_forms import LIMIT_MAX, YenField
from nexi.clock import add_months
from nexi.forms import NexiForm, NumberRange, Optional, Pattern, Required, select_choices
from nexi.procedures.buyers.rules import find
from nexi.procedures.insurance.common import SETTLEMENT_METHODS
from nexi.registrations import ASSOCIATIONS, CONSUMER, EQUIPMENT

PRODUCTS = [(EQUIPMENT, "02 設備財"), (CONSUMER, "03 消費財")]
RIDER_NUMBER = re.compile(r"T\d{4}\d{5}")  # C.6: T + year(4) + serial(5)
POLITICAL = [("97.5", "97.5%"), ("100", "100%")]
COMMERCIAL = [("90", "90%"), ("0", "0%（信用危険をてん補しない）")]
LIMIT_HINT = "円単位で入力してください。空欄のときは支払限度額なし（限度額を設定しない）として登録します。"
LIMIT_LABEL = "保険金支払限度額（円）"
NUMBER_TAKEN = "この特約番号はすでに登録されています。別の番号を入力してください"
NOT_REGISTERED = "このバイヤーコードは海外商社名簿に登録されていません（削除済みを含みます）"


def one_year(starts_on):
    """特約期間's 満了日 when staff leave it blank: one year from 開始日, less a day."""
    return add_months(starts_on, 12) - timedelta(days=1)


def _limit():
    return YenField(
        LIMIT_LABEL, validators=[Optional(), NumberRange(LIMIT_LABEL, 1, LIMIT_MAX)], description=LIMIT_HINT,
        thing="保険金支払限度額",
    )  # fmt: skip


class MembershipForm(NexiForm):
    """組合員資格の追加 (9-4): the association that holds the 設備財 / 消費財 特約 for the member."""

    product = fields.choice("保険種別", PRODUCTS, radio=True)
    association = fields.choice("組合", list(ASSOCIATIONS.items()))
    joined_on = fields.day("加入日")


class RiderForm(NexiForm):
    """企業総合保険特約の登録 (§8): 特約番号 as NEXI numbered it, 特約期間 of one year, its 部門 (the
    customer's own: `departments` = [(id, label)])."""

    number = StringField(
        "特約番号",
        validators=[Required("特約番号"), Pattern("特約番号", RIDER_NUMBER.pattern, "「T」と西暦4桁・連番5桁（例：T202600012）")],
        filters=[lambda value: value.upper() if isinstance(value, str) else value],
        description="「T」と西暦4桁・連番5桁の10文字です。例：T202600012",
        render_kw={"maxlength": "10", "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )  # fmt: skip
    starts_on = fields.day("特約期間 開始日")
    ends_on = fields.day("特約期間 満了日", required=False, hint="空欄のときは開始日の1年後の前日です。例：2026-12-31")
    departments = fields.checkboxes("部門", [], required=False, hint="この特約の対象とする部門を選んでください。")

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.departments.choices = select_choices([(str(key), label) for key, label in departments])

    def validate_number(self, field):
        if field.data and queries.number_taken(field.data):
            raise ValidationError(NUMBER_TAKEN)

    def validate_ends_on(self, field):
        if field.data is not None and self.starts_on.data is not None and field.data <= self.starts_on.data:
            raise ValidationError("特約期間 満了日は開始日より後の日付を入力してください")

    def period(self):
        """(開始日, 満了日): the 満了日 defaulted to one year."""
        return self.starts_on.data, self.ends_on.data or one_year(self.starts_on.data)


class BuyerRow(NexiForm):
    """A row registered for a buyer: its code registered in the register and not 削除."""

    found = None  # the buyer, once validated

    def validate_buyer(self, field):
        if field.data and not field.errors:
            self.found = find(field.data)
            if self.found is None:
                raise ValidationError(NOT_REGISTERED)


class RiderBuyerForm(BuyerRow):
    """企総登録の追加 (§8): a payer under the 特約, with the limit NEXI sets directly."""

    buyer = fields.buyer_code()
    destination = fields.country("仕向国")
    settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS)
    max_usance_days = fields.whole_number("最長ユーザンス（日）", 0, 729, required=False, hint="0～729日（任意）")
    limit_jpy = _limit()


class BlanketForm(NexiForm):
    """簡易通知型包括保険契約の登録 (9-4): its 付保率 and 保険期間; the 証券番号 is assigned on 登録."""

    post_political = fields.choice("船後 非常危険付保率", POLITICAL, radio=True)
    post_commercial = fields.choice("船後 信用危険付保率", COMMERCIAL, radio=True)
    starts_on = fields.day("保険期間 開始日")
    ends_on = fields.day("保険期間 終了日")

    def validate_ends_on(self, field):
        if field.data is not None and self.starts_on.data is not None and field.data <= self.starts_on.data:
            raise ValidationError("保険期間 終了日は開始日より後の日付を入力してください")


class BlanketRowForm(BuyerRow):
    """簡易包括登録の追加: a buyer and a 仕向国 under the contract, with its 支払限度額."""

    buyer = fields.buyer_code()
    country = fields.country("仕向国")
    limit_jpy = _limit()


class LimitForm(NexiForm):
    """支払限度額の変更 of a 企総登録 or a 簡易包括登録 (blank: no limit)."""

    limit_jpy = _limit()


def contract_form(kind: str, customer_id: int, formdata):
    """The 登録 form of a membership, a 特約 ("rider": 部門 of the customer's own) or a 包括保険契約."""
    if kind == "membership":
        return MembershipForm(formdata=formdata)
    if kind == "blanket":
        return BlanketForm(formdata=formdata)
    choices = [(d.id, f"{d.code} {d.name}") for d in queries.departments(customer_id)]
    return RiderForm(formdata=formdata, departments=choices)


def row_form(kind: str, *formdata):
    """The form of a 企総登録 ("rider") or a 簡易包括登録; without `formdata`, the request's."""
    return (RiderBuyerForm if kind == "rider" else BlanketRowForm)(*formdata)
