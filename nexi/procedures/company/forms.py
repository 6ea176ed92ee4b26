"""The input steps of 保険利用者情報変更申請 (U01, DOMAIN.md 3-5), labelled as the domain does.

The new values are asked only for the items ticked in 変更項目 (`When("items", …)`), prefilled with
the company's current values (the procedure's `initial`), and each ticked item must change
something. 法人番号 is asked for a change of 名称 while the company has none registered.
"""

import re

from wtforms import ValidationError

from nexi import customers, fields
from nexi.clock import add_months, today
from nexi.conditions import When
from nexi.forms import NexiForm, asked_when
from nexi.rows import RowsField

ITEMS = [
    ("name", "名称"),
    ("address", "住所"),
    ("representative", "代表者"),
    ("contact", "連絡先"),
    ("sme", "中小企業区分"),
    ("agri", "農林水産業区分"),
    ("departments", "部門"),
]
YES_NO = [("yes", "該当する"), ("no", "該当しない")]
# The customer's columns each 変更項目 changes (nexi/models/customer.py).
COLUMNS = {
    "name": ("name_ja", "name_en"),
    "address": ("postal_code", "address_ja", "address_en"),
    "representative": ("representative",),
    "contact": ("contact_department", "contact_person", "contact_phone", "contact_email"),
    "sme": ("is_sme",),
    "agri": ("is_agri",),
}
NEEDS_CERTIFICATE = When("items", "name", "address", "representative")
BOOLEAN = {"is_sme", "is_agri"}


def current(customer, column: str) -> str:
    """A column's registered value as the form shows it (区分 as 「yes」/「no」)."""
    value = getattr(customer, column)
    if column in BOOLEAN:
        return "yes" if value else "no"
    return value or ""


def corporate_number_valid(number: str) -> bool:
    """C.6: 13 digits whose first is 9 − (Σ Pₙ·Qₙ mod 9) over the 12-digit base read from the
    right, Qₙ = 1 for odd n and 2 for even n."""
    if not re.fullmatch(r"\d{13}", number or ""):
        return False
    base = number[1:]
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return int(number[0]) == 9 - total % 9


class ChangeItemsForm(NexiForm):
    """U01 step 1: 変更項目 and 変更日."""

    items = fields.checkboxes("変更項目", ITEMS, hint="変更する項目をすべて選択してください。")
    effective_on = fields.day(
        "変更日（効力発生日）", hint="登記上の変更日など、変更の効力が生じる日です。例：2026-04-15"
    )

    def validate_effective_on(self, field):
        if field.data is None:
            return
        earliest, latest = add_months(today(), -12), today().fromordinal(today().toordinal() + 90)
        if not earliest <= field.data <= latest:
            raise ValidationError(
                f"変更日は{earliest.year}年{earliest.month}月{earliest.day}日から"
                f"{latest.year}年{latest.month}月{latest.day}日までの日付で入力してください"
            )


MAX_DEPARTMENTS = 30


class DepartmentRow(NexiForm):
    """One 部門: a code of up to six letters or digits, and its name (3章 Objects)."""

    code = fields.text("部門コード", 6, ascii_only=True, hint=None)
    name = fields.text("部門名", 60, hint=None)

    def validate_code(self, field):
        if field.data and not re.fullmatch(r"[A-Za-z0-9]{1,6}", field.data):
            raise ValidationError("部門コードは英数字6文字以内で入力してください")


class NewValuesForm(NexiForm):
    """U01 step 2: the new values of each ticked item, prefilled with the current ones."""

    sections = [
        ("名称", ["name_ja", "name_en", "corporate_number"]),
        ("住所", ["postal_code", "address_ja", "address_en"]),
        ("代表者", ["representative"]),
        ("連絡先", ["contact_department", "contact_person", "contact_phone", "contact_email"]),
        ("区分", ["is_sme", "is_agri"]),
        ("部門", ["department_count", "departments"]),
    ]
    name_ja = fields.text("名称（和文）", 60, when=When("items", "name"))
    name_en = fields.text("名称（英文）", 140, ascii_only=True, when=When("items", "name"))
    corporate_number = fields.text(
        "法人番号",
        13,
        when=When("items", "name") & When("registered_number", "no"),
        hint="13桁の数字です。名称を変更する場合で、法人番号が登録されていないときに入力してください。",
    )
    postal_code = fields.text("郵便番号", 8, when=When("items", "address"), hint="例：100-0005")
    address_ja = fields.text("住所（和文）", 200, when=When("items", "address"))
    address_en = fields.text("住所（英文）", 200, ascii_only=True, when=When("items", "address"), required=False)
    representative = fields.text("代表者役職・氏名", 100, when=When("items", "representative"))
    contact_department = fields.text("担当部署", 60, when=When("items", "contact"), required=False)
    contact_person = fields.text("担当者", 60, when=When("items", "contact"))
    contact_phone = fields.text("電話", 20, when=When("items", "contact"), hint="例：03-1234-5678")
    contact_email = fields.text("e-mail", 254, when=When("items", "contact"))
    is_sme = fields.choice("中小企業区分", YES_NO, radio=True, when=When("items", "sme"))
    is_agri = fields.choice("農林水産業区分", YES_NO, radio=True, when=When("items", "agri"))
    department_count = fields.whole_number(
        "部門数", 1, MAX_DEPARTMENTS, when=When("items", "departments"), hint="変更後の部門の数です。"
    )
    departments = RowsField(
        DepartmentRow,
        "部門",
        validators=asked_when(When("items", "departments")),
        count="department_count",
        max_rows=MAX_DEPARTMENTS,
        row_name="{n}",
        row_heading="No.",
        description="部門コード（英数字6文字以内）と部門名を入力してください。",
    )

    def validate(self, extra_validators=None) -> bool:
        """Besides each field: every ticked item changes something (3-5: new values must differ)."""
        valid = super().validate(extra_validators)
        if self.context is None:
            return valid
        labels = dict(ITEMS)
        for item in self.answer("items") or []:
            if item == "departments":
                rows = [(entry.form.code.data, entry.form.name.data) for entry in self.departments.entries]
                if rows == [(d.code, d.name) for d in customers.departments(self.context.customer.id)]:
                    self.departments.own_errors = ["部門が現在の登録内容と同じです。変更後の内容を入力してください"]
                    self.departments.errors = list(self.departments.own_errors)
                    valid = False
                continue
            names = [name for name in COLUMNS.get(item, ()) if name in self]
            if names and all((self[name].data or "") == current(self.context.customer, name) for name in names):
                message = f"{labels[item]}が現在の登録内容と同じです。変更後の内容を入力してください"
                self[names[0]].errors = [*self[names[0]].errors, message]
                valid = False
        return valid

    def validate_departments(self, field):
        codes = [entry.form.code.data for entry in field.entries if entry.form.code.data]
        if len(codes) != len(set(codes)):
            raise ValidationError("部門コードが重複しています。部門ごとに異なるコードを入力してください")

    def validate_corporate_number(self, field):
        if field.data and not corporate_number_valid(field.data):
            raise ValidationError(
                "法人番号は13桁の数字で、正しい番号を入力してください（チェックデジットが一致しません）"
            )

    def validate_postal_code(self, field):
        if field.data and not re.fullmatch(r"\d{3}-\d{4}", field.data):
            raise ValidationError("郵便番号は「100-0005」の形式で入力してください")

    def validate_contact_phone(self, field):
        digits = (field.data or "").replace("-", "")
        if field.data and (not re.fullmatch(r"[\d-]+", field.data) or not 10 <= len(digits) <= 13):
            raise ValidationError("電話は数字とハイフンで、10桁から13桁で入力してください")

    def validate_contact_email(self, field):
        if field.data and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data):
            raise ValidationError("e-mailを正しい形式で入力してください")


class CertificateForm(NexiForm):
    """U01 step 3: 登記事項証明書 (for 名称・住所・代表者) and 備考."""

    certificate_files = fields.pdf("登記事項証明書", when=NEEDS_CERTIFICATE)
    certificate_date = fields.day("証明書発行日", when=NEEDS_CERTIFICATE)
    remarks = fields.text("備考", 1000, required=False, multiline=True)

    def validate_certificate_date(self, field):
        if field.data is None:
            return
        earliest = add_months(today(), -3)
        if not earliest <= field.data <= today():
            raise ValidationError(
                f"証明書発行日は{earliest.year}年{earliest.month}月{earliest.day}日から本日までの日付で入力してください"
                "（3か月以内に発行された証明書が必要です）"
            )


class CompanyResultForm(NewValuesForm):
    """S.3 U01: NEXI may correct the new values (only the items the customer ticked are asked)
    and the 変更日 before they are applied."""

    help_prefix = "shared.staff_result"  # NEXI's own inputs: no customer help page
    sections = [("変更日", ["effective_on"]), *NewValuesForm.sections]
    effective_on = fields.day("変更日（効力発生日）")
