"""Forms of 保険利用者 and Web users on the staff console (S.8). They carry no help prefix: the
customers' help pages must not describe the staff console.

The company's fields are those of 保険利用者情報変更申請 (U01, nexi/procedures/company/forms.py),
every item asked at once; the first 管理者's are those of 3-6 Webユーザー追加, so both keep their
labels, limits and messages."""

import re

from flask import current_app
from wtforms import StringField, ValidationError

from nexi import fields
from nexi.blueprints.users.forms import AddUserForm, UserForm
from nexi.forms import NexiForm, Pattern, Required
from nexi.procedures.company.forms import ITEMS, MAX_DEPARTMENTS, NewValuesForm
from nexi.procedures.state import multidict

# Every 変更項目 of U01 "ticked", so that each of its questions is asked (`When("items", …)`).
EVERY_ITEM = {"items": [item for item, _ in ITEMS]}
CODE = re.compile(r"\d{9}")
ADMIN_FIELDS = ["login_id", "name", "name_kana", "department", "phone", "email", "otp"]


class AdminForm(NexiForm):
    """A 管理者 NEXI registers for a 保険利用者 (3-6 追加's fields; the 仮パスワード is generated)."""

    sections = [("管理者（Webユーザー）", ADMIN_FIELDS)]
    login_id = AddUserForm.login_id
    name = UserForm.name
    name_kana = UserForm.name_kana
    department = UserForm.department
    phone = UserForm.phone
    email = UserForm.email
    otp = AddUserForm.otp


class CustomerAddForm(AdminForm, NewValuesForm):
    """保険利用者の新規登録: its code, the company's data (U01's fields, all asked), and its first
    管理者. 法人番号 is optional here (a sole proprietor has none)."""

    sections = [
        ("保険利用者コード", ["code"]),
        ("名称", ["name_ja", "name_en", "corporate_number"]),
        ("住所", ["postal_code", "address_ja", "address_en"]),
        ("代表者", ["representative"]),
        ("連絡先", ["contact_department", "contact_person", "contact_phone", "contact_email"]),
        ("区分", ["is_sme", "is_agri"]),
        ("部門", ["department_count", "departments"]),
        ("最初の管理者（Webユーザー）", ADMIN_FIELDS),
    ]
    code = StringField(
        "保険利用者コード",
        validators=[Required("保険利用者コード"), Pattern("保険利用者コード", CODE.pattern, "9桁の数字")],
        description="半角数字9桁です。登録後は変更できません。例：123456789",
        render_kw={"maxlength": "9", "inputmode": "numeric", "autocomplete": "off"},
    )
    corporate_number = fields.text("法人番号", 13, required=False, hint="13桁の数字です（任意）。")
    # The 管理者's own 電話 and e-mail are asked below: the company's are named as its 連絡先.
    contact_phone = fields.text("連絡先の電話", 20, hint="例：03-1234-5678")
    contact_email = fields.text("連絡先のe-mail", 254)
    department_count = fields.whole_number(
        "部門数", 0, MAX_DEPARTMENTS, hint="登録する部門の数です。部門がないときは0を入力してください。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, answers=EVERY_ITEM, **kwargs)

    def validate_contact_phone(self, field):
        digits = (field.data or "").replace("-", "")
        if field.data and (not re.fullmatch(r"[\d-]+", field.data) or not 10 <= len(digits) <= 13):
            raise ValidationError("連絡先の電話は数字とハイフンで、10桁から13桁で入力してください")

    def validate_contact_email(self, field):
        if field.data and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data):
            raise ValidationError("連絡先のe-mailを正しい形式で入力してください")


def new_customer_values() -> dict:
    """The 入力 screen's first values: one 部門 row, the OTP default of 3-6 (⚙)."""
    otp = "on" if current_app.config["NEXI_OTP_DEFAULT_ON"] else "off"
    return {"department_count": "1", "is_sme": "no", "is_agri": "no", "otp": otp}


def new_admin_values() -> dict:
    return {"otp": "on" if current_app.config["NEXI_OTP_DEFAULT_ON"] else "off"}


def form_from(form_class, values: dict):
    """The form filled with values kept in the navigation state."""
    return form_class(formdata=multidict(values))


class CustomerSearchForm(NexiForm):
    """保険利用者の検索: by code (its beginning) or name (a part of either name); both optional."""

    code = StringField(
        "保険利用者コード",
        validators=[Pattern("保険利用者コード", r"\d{1,9}", "9桁以内の数字")],
        description="前方一致で検索します。",
        render_kw={"maxlength": "9", "inputmode": "numeric", "autocomplete": "off"},
    )
    name = fields.text("名称", 140, required=False, hint="和文・英文名称の一部で検索します。")

    def criteria(self) -> dict:
        return {"code": self.code.data or "", "name": self.name.data or ""}


class WebUserSearchForm(NexiForm):
    """Webユーザー検索 across customers: by ID, 氏名 or 保険利用者コード (each optional)."""

    login_id = fields.text(
        "WebユーザーID", 20, required=False, hint="一部で検索します（大文字・小文字は区別しません）。"
    )
    name = fields.text("氏名", 40, required=False, hint="一部で検索します。")
    customer_code = StringField(
        "保険利用者コード",
        validators=[Pattern("保険利用者コード", r"\d{1,9}", "9桁以内の数字")],
        description="前方一致で検索します。",
        render_kw={"maxlength": "9", "inputmode": "numeric", "autocomplete": "off"},
    )

    def criteria(self) -> dict:
        return {name: self[name].data or "" for name in ("login_id", "name", "customer_code")}
