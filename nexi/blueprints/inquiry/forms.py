"""The search conditions of 5-1 海外商社情報 and 5-5 国別引受方針."""

from wtforms import ValidationError

from nexi import fields, inquiries, masters
from nexi.forms import ChoiceField, NexiForm, Optional
from nexi.models.buyer import search_text

ANY = ("", "すべて")
NO_CRITERION = "バイヤーコード、名称、国のいずれか1つ以上を指定してください"


def _any_country():
    return [ANY, *masters.country_choices()[1:]]


def _regions():
    return [ANY, *((region, region) for region in inquiries.regions())]


class BuyerInquiryForm(NexiForm):
    """5-1: at least one of the three criteria."""

    help_prefix = "inquiry.buyers"
    code = fields.buyer_code(required=False, hint="完全一致で検索します。例：304-000123")
    name = fields.text(
        "名称",
        140,
        required=False,
        hint="英文名称・別名の一部（2文字以上）。全角・半角、大文字・小文字、空白の数は区別しません。",
    )
    country = ChoiceField("国", validators=[Optional()], choices=_any_country, thing="国")

    def validate_name(self, field):
        if field.data and len(search_text(field.data)) < inquiries.NAME_MIN:
            raise ValidationError(f"名称は{inquiries.NAME_MIN}文字以上で入力してください")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any(self.criteria().values()):
            self.form_errors.append(NO_CRITERION)
            return False
        return valid

    def criteria(self) -> dict:
        return inquiries.buyer_criteria(self.code.data, self.name.data, self.country.data)


class CountryInquiryForm(NexiForm):
    """5-5: every filter optional (none: every country)."""

    help_prefix = "inquiry.countries"
    name = fields.text("名称", 60, required=False, hint="国名（日本語・英語）の一部で絞り込みます。")
    region = ChoiceField("地域", validators=[Optional()], choices=_regions, thing="地域")
    category = ChoiceField(
        "カテゴリー",
        validators=[Optional()],
        choices=[ANY, *((category, category) for category in inquiries.CATEGORIES)],
        thing="カテゴリー",
    )
    policy = ChoiceField(
        "引受方針",
        validators=[Optional()],
        choices=[ANY, *((policy, policy) for policy in inquiries.POLICIES)],
        thing="引受方針",
    )

    def criteria(self) -> dict:
        return inquiries.country_criteria(self.name.data, self.region.data, self.category.data, self.policy.data)
