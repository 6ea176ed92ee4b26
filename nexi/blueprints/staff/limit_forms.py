"""The search of 個別保証枠の状況 on the console (S.6). No help prefix: the customers' help pages
must not describe the staff console."""

from nexi import fields, masters
from nexi.forms import ChoiceField, NexiForm, Optional


def _any_country():
    return [("", "すべて"), *masters.country_choices()[1:]]


class LimitSearchForm(NexiForm):
    """Every criterion optional (none: every buyer with a 個別保証枠, by バイヤーコード)."""

    code = fields.buyer_code(required=False, hint="完全一致で検索します。例：304-000123")
    name = fields.text(
        "名称", 140, required=False, hint="英文名称・別名の一部で検索します（大文字・小文字や記号は区別しません）。"
    )
    country = ChoiceField("国", validators=[Optional()], choices=_any_country, thing="国")

    def criteria(self) -> dict:
        return {"code": self.code.data or "", "name": self.name.data or "", "country": self.country.data or ""}
