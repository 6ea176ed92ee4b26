"""Forms of 国・地域マスタ (S.9, M.1) on the staff console. Like the other staff forms they carry no
help prefix: the customers' help pages must not describe the staff console."""

from datetime import timedelta

from wtforms import StringField, ValidationError

from nexi import fields
from nexi.clock import today
from nexi.forms import ChoiceField, NexiForm, Optional, Pattern, Required

REGIONS = ["アジア", "中東", "欧州", "北米", "中南米", "アフリカ", "大洋州"]
CATEGORIES = "ABCDEFGH"
CONDITIONAL = "条件付引受"
POLICIES = ["引受可能", CONDITIONAL, "引受停止"]
LC_CONDITIONS = [("", "なし"), ("確認L/C", "確認L/C")]
CASE_LIMIT_MAX, USANCE_MAX = 10000, 360
# The values only a 条件付引受 country has (M.1: used only for 条件付引受).
CONDITIONAL_ONLY = ("case_limit_oku", "max_usance_months")
NOT_AFTER_TODAY = "適用開始日は明日（{day}）以降の日付を入力してください（適用中・過去の版は変更できません）"
DATE_TAKEN = "この国・地域には、この適用開始日の版がすでにあります。別の日付を入力してください"
CODE_TAKEN = "この国コードはすでに登録されています。その国・地域の詳細から新しい版を登録してください"


class CountrySearchForm(NexiForm):
    keyword = fields.text(
        "国コード・国名",
        40,
        required=False,
        hint="国コード（3桁）または国名（日本語・英語）の一部で検索します。空欄のときはすべてを表示します。",
    )


class CountryVersionForm(NexiForm):
    """One version of a country (M.1) as staff enter it: new, or a change of one not yet in effect.
    The view sets `taken`, the 適用開始日 of the country's other versions, before validating."""

    sections = [
        ("適用開始日と国名", ["valid_from", "name_ja", "name_en", "region"]),
        ("カテゴリーと引受方針", ["category", "policy", "case_limit_oku", "max_usance_months", "lc_condition"]),
        ("その他", ["note"]),
    ]
    valid_from = fields.day(
        "適用開始日",
        hint="明日以降の日付です。この日から、お客様の画面と申込みのチェックにこの版が使われます。例：2026-05-01",
    )
    name_ja = fields.text("国名", 40)
    name_en = fields.text("国名（英）", 60, ascii_only=True, hint="半角英数字で入力してください。")
    region = fields.choice("地域", [(region, region) for region in REGIONS])
    category = fields.choice(
        "カテゴリー", [(letter, letter) for letter in CATEGORIES], hint="A〜H（OECDの0〜7に対応します）。"
    )
    policy = fields.choice("引受方針", [(policy, policy) for policy in POLICIES], radio=True)
    case_limit_oku = fields.whole_number(
        "案件枠（億円）", 1, CASE_LIMIT_MAX, required=False, hint="条件付引受のときに入力します（必須）。"
    )
    max_usance_months = fields.whole_number(
        "最長ユーザンス（月）",
        1,
        USANCE_MAX,
        required=False,
        hint=f"条件付引受のときに、必要なら1〜{USANCE_MAX}の整数で入力します。",
    )
    lc_condition = ChoiceField("L/C条件", validators=[Optional()], choices=LC_CONDITIONS, thing="L/C条件")
    note = fields.text("備考", 200, required=False, multiline=True)

    taken: frozenset = frozenset()

    def validate_valid_from(self, field):
        if field.data is None:  # not a date: its message is there already
            return
        tomorrow = today() + timedelta(days=1)
        if field.data < tomorrow:
            raise ValidationError(NOT_AFTER_TODAY.format(day=f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日"))
        if field.data in self.taken:
            raise ValidationError(DATE_TAKEN)

    def validate(self, extra_validators=None) -> bool:
        """The field rules, then those between 引受方針 and the values only 条件付引受 has (the
        messages go next to those values)."""
        super().validate(extra_validators)
        conditional = self.policy.data == CONDITIONAL
        limit = self.case_limit_oku
        if conditional and limit.data is None and not limit.errors:
            limit.errors = ["条件付引受の国・地域には案件枠（億円）を入力してください"]
        if self.policy.data in POLICIES and not conditional:
            for name in CONDITIONAL_ONLY:
                field = self[name]
                if field.data is not None and not field.errors:
                    field.errors = [f"{field.thing}は引受方針が条件付引受のときだけ入力してください"]
        return not self.form_errors and not any(field.errors for field in self)

    def record(self) -> dict:
        """The version's values (nexi/masters.py COUNTRY_FIELDS but the code) of a validated form."""
        return {
            "valid_from": self.valid_from.data,
            "name_ja": self.name_ja.data,
            "name_en": self.name_en.data,
            "region": self.region.data,
            "category": self.category.data,
            "policy": self.policy.data,
            "case_limit_oku": self.case_limit_oku.data,
            "max_usance_months": self.max_usance_months.data,
            "lc_condition": self.lc_condition.data or "",
            "note": self.note.data or "",
        }


class NewCountryForm(CountryVersionForm):
    """A country not yet in M.1, with its first version. The view sets `known`, every code in M.1."""

    sections = [
        ("国コード・適用開始日と国名", ["code", *CountryVersionForm.sections[0][1]]),
        *CountryVersionForm.sections[1:],
    ]
    code = StringField(
        "国コード",
        validators=[Required("国コード"), Pattern("国コード", r"\d{3}", "3桁の半角数字")],
        description="統計国名符号（3桁の数字）です。登録後は変更できません。例：606",
        render_kw={"maxlength": "3", "inputmode": "numeric", "autocomplete": "off"},
    )

    known: frozenset = frozenset()

    def validate_code(self, field):
        if field.data in self.known:
            raise ValidationError(CODE_TAKEN)

    def record(self) -> dict:
        return {"code": self.code.data, **super().record()}


def values_of(version, *, with_date: bool) -> dict:
    """A saved version as the form's values (as typed), for 編集 (with its date) or as the start
    of a new version (the date left to type)."""
    return {
        "valid_from": version.valid_from.isoformat() if with_date else "",
        "name_ja": version.name_ja,
        "name_en": version.name_en,
        "region": version.region,
        "category": version.category,
        "policy": version.policy,
        "case_limit_oku": "" if version.case_limit_oku is None else str(version.case_limit_oku),
        "max_usance_months": "" if version.max_usance_months is None else str(version.max_usance_months),
        "lc_condition": version.lc_condition,
        "note": version.note,
    }
