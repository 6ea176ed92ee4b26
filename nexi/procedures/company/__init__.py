"""3章 ユーザー管理: 保険利用者情報変更申請 (U01), 管理者 only, flow R (NEXI reviews; DOMAIN.md 3-5).

Its 完了 (S.3) records the new values as a version of the 保険利用者 effective from 変更日
(nexi/customers.py); NEXI may correct the values first (the result inputs).
"""

from datetime import date

from nexi import customers
from nexi.procedures.company import forms
from nexi.procedures.company.forms import BOOLEAN, COLUMNS, current
from nexi.procedures.engine import Context, Procedure, Step


def initial(context: Context) -> dict:
    """The new values start as the current ones."""
    columns = [column for names in COLUMNS.values() for column in names]
    values = {column: current(context.customer, column) for column in columns}
    rows = [{"code": d.code, "name": d.name} for d in customers.departments(context.customer.id)]
    return {"values": {**values, "department_count": str(len(rows)), "departments": rows}}


def facts(customer) -> dict:
    return {"registered_number": "yes" if customer.corporate_number else "no"}


def changes(values: dict) -> dict:
    """The customer's columns the answers change, as stored (区分 as booleans)."""
    found = {}
    for item in values.get("items") or []:
        for column in COLUMNS.get(item, ()):
            value = values.get(column, "")
            found[column] = value == "yes" if column in BOOLEAN else value
    if "departments" in (values.get("items") or []):
        found[customers.DEPARTMENTS] = [
            {"code": row.get("code", ""), "name": row.get("name", "")} for row in values.get("departments") or []
        ]
    if "name" in (values.get("items") or []) and values.get("corporate_number"):
        found["corporate_number"] = values["corporate_number"]
    return found


def complete(application, inputs: dict) -> dict:
    """S.3: NEXI may correct the values (`inputs`: column → value), then they take effect from
    変更日; the result says from when."""
    answers = application.answers()
    corrected = {**answers, **{k: v for k, v in inputs.items() if k != "items"}}
    recorded = changes(corrected)
    effective = _date(corrected["effective_on"])
    customers.record(application.customer_id, effective, recorded, application.id)
    labels = dict(forms.ITEMS)
    chosen = "・".join(labels[item] for item in answers.get("items") or [] if item in labels)
    return {"変更項目": chosen, "変更日（効力発生日）": f"{effective.year}年{effective.month}月{effective.day}日"}


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _target(values: dict) -> tuple[str, str | None]:
    labels = dict(forms.ITEMS)
    chosen = "・".join(labels[item] for item in values.get("items") or [] if item in labels)
    return (f"保険利用者情報（{chosen or '変更項目未選択'}）", None)


COMPANY_CHANGE = Procedure(
    code="U01",
    title="保険利用者情報変更申請",
    section="3-5",
    chapter="users",
    path="company-change",
    steps=(
        Step("items", "変更項目と変更日", forms.ChangeItemsForm),
        Step("values", "変更後の内容", forms.NewValuesForm),
        Step("certificate", "登記事項証明書と備考", forms.CertificateForm),
    ),
    describe=_target,
    initial=initial,
    facts=facts,
    complete=complete,
    result_form=forms.CompanyResultForm,
    admin_only=True,
    intro=(
        "保険利用者（貴社）の登録内容（名称・住所・代表者・連絡先・中小企業区分・農林水産業区分・部門）の変更を"
        "NEXIに申請する手続きです。管理者の方のみご利用いただけます。\n"
        "変更する項目を選び、変更後の内容を入力してください。名称・住所・代表者の変更には、"
        "3か月以内に発行された登記事項証明書（PDF）が必要です。\n"
        "NEXIが確認のうえ登録内容を変更します。変更は変更日（効力発生日）から画面に反映されます。"
        "保険利用者コードは変わりません。"
    ),
)

PROCEDURES = (COMPANY_CHANGE,)
