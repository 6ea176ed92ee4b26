"""Forms of the buyer register (S.4) and the sleeping-buyer cycle (S.5) on the staff console.
They carry no help prefix: the customers' help pages must not describe the staff console."""

from wtforms import ValidationError

from nexi import fields, masters
from nexi.clock import today
from nexi.conditions import When
from nexi.forms import (
    Acknowledge,
    ChoiceField,
    JapaneseIntegerField,
    NexiForm,
    NumberRange,
    Optional,
    Required,
    asked_when,
)
from nexi.models import BuyerStatus
from nexi.procedures.buyers.forms import OFFICE_TYPES, RELATIONS
from nexi.procedures.buyers.rules import Registered, find, name_key, same_name

NEEDS_LIMIT = masters.LIMIT_RATINGS

LIMIT_MAX = 10**15 - 1  # 個別保証枠 設定額 in yen (C.5: JPY amounts ≤ 16 digits)
LIMIT_HINT = "円単位で入力してください。カンマ（,）を入れても構いません。お客様には枠あり／枠なしだけが表示されます。"
ACKNOWLEDGE = "上記の注意事項を確認しました"


def ratings():
    return masters.rating_choices()


ANY = ("", "すべて")


def _any_country():
    return [ANY, *masters.country_choices()[1:]]


def _industries():
    return [(name, name) for name in masters.INDUSTRIES]


class YenField(JapaneseIntegerField):
    """An amount in yen: 確認 shows it with its commas."""

    def shown(self) -> str:
        return f"{self.data:,}円" if self.data is not None else "（入力なし）"


def _yen(label, *, required, when=None):
    validators = asked_when(when) + ([Required(label)] if required else [Optional()])
    validators.append(NumberRange(label, 1, LIMIT_MAX))
    return YenField(label, validators=validators, description=LIMIT_HINT, thing=label)


def _limit(label="設定額（円）", *, when=None):
    return _yen(label, required=False, when=when)


def _needs_limit(form) -> None:
    """EE–EF buyers need a 設定額 (M.3 枠要); the message goes next to the amount."""
    if form.rating.data in NEEDS_LIMIT and form.limit_amount.data is None and not form.limit_amount.errors:
        form.limit_amount.errors = [f"格付{form.rating.data}の海外商社には設定額を入力してください"]


class BuyerSearchForm(NexiForm):
    """バイヤー検索: every criterion optional (no criterion: the whole register, by code)."""

    code = fields.buyer_code(required=False, hint="完全一致で検索します。例：304-000123")
    name = fields.text(
        "名称", 140, required=False, hint="英文名称・別名の一部で検索します（大文字・小文字や記号は区別しません）。"
    )
    country = ChoiceField("国", validators=[Optional()], choices=_any_country, thing="国")
    rating = ChoiceField("格付", validators=[Optional()], choices=lambda: [ANY, *ratings()], thing="格付")
    status = ChoiceField(
        "状態", validators=[Optional()], choices=[ANY, *((s.value, s.value) for s in BuyerStatus)], thing="状態"
    )

    def criteria(self) -> dict:
        return {name: self[name].data or "" for name in ("code", "name", "country", "rating", "status")}


class BuyerAddForm(NexiForm):
    """直接登録 (S.4): the B01 fields NEXI needs, with its result inputs (格付, 適用日, 設定額)."""

    sections = [
        ("名称", ["name_en", "alias"]),
        ("所在地", ["country", "address", "city", "state", "postal_code"]),
        ("本店・支店と業種", ["office_type", "head_office_code", "relation", "industry"]),
        ("格付と個別保証枠", ["rating", "rated_on", "limit_amount"]),
    ]
    name_en = fields.text("英文名称", 140, ascii_only=True, hint="正式な英文名称を半角英数字で入力してください。")
    alias = fields.text("別名（契約書上の名称・漢字名等）", 140, required=False, thing="別名")
    country = fields.country("国")
    address = fields.text("住所", 140, ascii_only=True)
    city = fields.text("都市", 60, ascii_only=True)
    state = fields.text("州・省", 60, required=False, ascii_only=True)
    postal_code = fields.text("郵便番号", 20, required=False, ascii_only=True)
    office_type = fields.choice("本店・支店区分", OFFICE_TYPES, radio=True)
    head_office_code = fields.buyer_code(
        "本店バイヤーコード", when=When("office_type", "branch"), extra=[Registered("本店バイヤーコード")]
    )
    relation = fields.choice("本店との関係", RELATIONS, when=When("office_type", "branch"))
    industry = fields.choice("業種", _industries())
    rating = fields.rating()
    rated_on = fields.day("格付適用日")
    limit_amount = _limit(when=When("rating", *NEEDS_LIMIT))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        _needs_limit(self)
        return not any(field.errors for field in self)

    def columns(self) -> dict:
        """The new buyer's columns (validated input): its name as compared, its head office."""
        head = find(self.head_office_code.data) if self.office_type.data == "branch" else None
        return {
            "name_en": self.name_en.data,
            "name_key": name_key(self.name_en.data),
            "alias": self.alias.data or "",
            "country_code": self.country.data,
            "address": self.address.data,
            "city": self.city.data,
            "state": self.state.data or "",
            "postal_code": self.postal_code.data or "",
            "head_office_id": head.id if head is not None else None,
            "relation": dict(RELATIONS).get(self.relation.data, "支店") if head is not None else "",
            "industry": self.industry.data,
            "rating": self.rating.data,
            "rated_on": self.rated_on.data,
            "limit_amount": self.limit_amount.data if self.rating.data in NEEDS_LIMIT else None,
        }


class AcknowledgeForm(NexiForm):
    """直接登録の確認: the warnings (a same-name buyer, a 引受停止 country) must be acknowledged."""

    acknowledge = Acknowledge(ACKNOWLEDGE)

    def validate_acknowledge(self, field):
        if not field.data:
            raise ValidationError("注意事項を確認し、チェックを入れてください")


class RatingForm(NexiForm):
    """格付の変更 (S.4): the new 格付, its 適用日 and the reason kept in the history."""

    rating = fields.rating()
    rated_on = fields.day("格付適用日")
    limit_amount = _limit(when=When("rating", *NEEDS_LIMIT))
    reason = fields.text("理由", 200, hint="格付の履歴に「根拠」として記録されます。")

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        _needs_limit(self)
        return not any(field.errors for field in self)


class LimitForm(NexiForm):
    """設定額の変更 (S.4) of an EE–EF buyer."""

    limit_amount = _yen("設定額（円）", required=True)


class DeleteForm(NexiForm):
    """削除 (S.4): the reason is kept with the buyer."""

    reason = fields.text("削除の理由", 100)


SCOPES = [("selected", "チェックを入れたバイヤー"), ("all", "抽出されたすべてのバイヤー")]


class PublishForm(NexiForm):
    """スリーピング候補の公開 (S.5): which of the dormant buyers, and their 解除申請期限."""

    scope = fields.choice("公開の対象", SCOPES, radio=True)
    release_deadline = fields.day(
        "解除申請期限", hint="この日の23時59分まで解除申請（B05）を受け付けます。例：2026-04-15"
    )

    def validate_release_deadline(self, field):
        if field.data and field.data <= today():
            raise ValidationError("解除申請期限は明日以降の日付を入力してください")


def add_warnings(values: dict) -> list[str]:
    """B01's warnings (7-1): the same normalised name in the same country, a 引受停止 country."""
    found = []
    existing = same_name(values.get("name_en", ""), values.get("country", ""))
    if existing is not None:
        found.append(
            f"同じ国に同じ名称の海外商社がすでに登録されています（バイヤーコード {existing.code} {existing.name_en}）。"
        )
    country = masters.countries().get(values.get("country", ""))
    if country is not None and country.policy == "引受停止":
        found.append(f"{country.name_ja}は引受停止国です。登録はできますが、保険の引受けは行えません。")
    return found
