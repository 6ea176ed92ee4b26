"""完了 of the buyer procedures (DOMAIN.md S.3, §7): what NEXI enters and what the system does.

Each hook takes the application and NEXI's result inputs (validated by the procedure's
`result_form` on the staff side) and returns the result the customer sees, by its label (4-4
lists it as it is): バイヤーコード, 格付,
格付適用日 and 枠あり / 枠なし — never the 設定額 (C.4.1). Every 完了 restarts the buyer's dormancy
clock (最終活動日, S.5).
"""

from datetime import date

from wtforms import ValidationError

from nexi import db, fields, masters, register
from nexi.clock import now, today
from nexi.conditions import When
from nexi.forms import NexiForm
from nexi.models import Buyer, BuyerStatus
from nexi.procedures.buyers.forms import RELATIONS
from nexi.procedures.buyers.rules import find, name_key
from nexi.text import bounded_int

NEEDS_LIMIT = masters.LIMIT_RATINGS  # M.3: 個別保証枠 required (枠要)


class RatingResultForm(NexiForm):
    """S.3 B02: the new 格付 and its 適用日 (the approval date unless NEXI says otherwise)."""

    help_prefix = "shared.staff_result"  # NEXI's own inputs: no customer help page
    rating = fields.rating()
    rated_on = fields.day("格付適用日")


class RegisterResultForm(RatingResultForm):
    """S.3 B01: 格付, 格付適用日 and, for EE–EF, the 個別保証枠 設定額."""

    limit_amount = fields.whole_number("設定額（円）", 1, 10**15, when=When("rating", *NEEDS_LIMIT))

    def validate_rating(self, field):
        if field.data in NEEDS_LIMIT and not self.limit_amount.data:
            raise ValidationError(f"格付{field.data}の海外商社には設定額を入力してください")


def _day(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else today()


def _limit_of(inputs: dict, rating: str) -> int | None:
    if rating not in NEEDS_LIMIT:
        return None
    amount = bounded_int(str(inputs.get("limit_amount", "")), 1)
    if amount is None:
        raise ValueError(f"格付{rating}の海外商社には設定額が必要です")
    return amount


def _rating(inputs: dict) -> str:
    rating = inputs.get("rating", "")
    if rating not in masters.ratings():
        raise ValueError(f"unknown rating {rating!r}")
    return rating


def japanese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _shown(buyer: Buyer) -> dict:
    """What the customer sees of the result, by label (C.4.1: 枠あり / 枠なし, never the amount)."""
    return {
        "バイヤーコード": buyer.code,
        "格付": buyer.rating,
        "格付適用日": japanese_day(buyer.rated_on),
        "個別保証枠": "枠あり" if buyer.limit_amount else "枠なし",
    }


def _new_buyer(
    values: dict, suffix: str, rating: str, rated_on: date, limit: int | None, application_id=None, **extra
) -> Buyer:
    country = values[f"country{suffix}"]
    buyer = Buyer(
        code=register.next_code(country),
        name_en=values[f"name_en{suffix}"],
        name_key=name_key(values[f"name_en{suffix}"]),
        alias=values.get(f"alias{suffix}", "") or "",
        country_code=country,
        address=values[f"address{suffix}"],
        city=values[f"city{suffix}"],
        state=values.get(f"state{suffix}", "") or "",
        postal_code=values.get(f"postal_code{suffix}", "") or "",
        industry=values.get(f"industry{suffix}") or "その他",
        rating=rating,
        rated_on=rated_on,
        limit_amount=limit,
        status=BuyerStatus.REGISTERED,
        last_activity_on=today(),
        registered_at=now(),
        **extra,
    )
    db.session().add(buyer)
    db.session().flush()
    register.record_rating(buyer, application_id=application_id, note="新規登録")
    return buyer


def complete_register(application, inputs: dict) -> dict:
    """B01: the buyer enters the register with the next code of its country; a bank branch whose
    head office is registered at the same time gets it as its head office (created first)."""
    values = application.answers()
    rating, rated_on = _rating(inputs), _day(inputs.get("rated_on"))
    limit = _limit_of(inputs, rating)
    head = None
    if values.get("office_type") == "branch" and values.get("head_registered") == "no":
        head = _new_buyer({**values, "industry_head": "銀行"}, "_head", rating, rated_on, None, application.id)
    elif values.get("office_type") == "branch":
        head = find(values.get("head_office_code"))
    extra = {"head_office_id": head.id, "relation": "支店"} if head is not None else {}
    buyer = _new_buyer(values, "", rating, rated_on, limit, application.id, **extra)
    shown = _shown(buyer)
    if head is not None and values.get("head_registered") == "no":
        shown["本店バイヤーコード"] = head.code
    return shown


def complete_rating(application, inputs: dict) -> dict:
    """B02: the new 格付 from its 適用日 (existing policies keep theirs, 7-2)."""
    buyer = find(application.answers().get("buyer_code"))
    if buyer is None:
        raise ValueError("the buyer is no longer in the register")
    previous = buyer.rating
    register.rate(
        buyer, _rating(inputs), _day(inputs.get("rated_on")), application_id=application.id, note="格付変更申請"
    )
    if buyer.rating not in NEEDS_LIMIT:
        buyer.limit_amount = None
    elif inputs.get("limit_amount") or buyer.limit_amount is None:
        buyer.limit_amount = _limit_of(inputs, buyer.rating)
    register.touch(buyer)
    db.session().add(buyer)
    return {**_shown(buyer), "変更前の格付": previous}


def complete_name_address(application, inputs: dict) -> dict:
    """B03: the new name, an added alias or the new address, effective at 完了 (7-3)."""
    values = application.answers()
    buyer = find(values.get("buyer_code"))
    if buyer is None:
        raise ValueError("the buyer is no longer in the register")
    kind = values.get("change_kind")
    if kind == "name":
        buyer.name_en, buyer.name_key = values["new_name_en"], name_key(values["new_name_en"])
    elif kind == "alias":
        buyer.alias = "、".join(part for part in (buyer.alias, values["new_alias"]) if part)[:140]
    elif kind == "address":
        buyer.address, buyer.city = values["new_address"], values["new_city"]
        buyer.state = values.get("new_state", "") or ""
        buyer.postal_code = values.get("new_postal_code", "") or ""
    register.touch(buyer)
    db.session().add(buyer)
    kinds = {"name": "名称変更", "alias": "別名追加", "address": "住所変更"}
    return {"バイヤーコード": buyer.code, "変更内容": kinds.get(kind, "")}


def complete_branches(application, inputs: dict) -> dict:
    """B04: a linked buyer registered under its head office with a code of its own, or removed."""
    values = application.answers()
    head = find(values.get("head_code"))
    if head is None:
        raise ValueError("the head office is no longer in the register")
    register.touch(head)
    if values.get("action") == "delete":
        target = find(values.get("target_code"))
        if target is None or target.head_office_id != head.id:
            raise ValueError("the linked buyer is no longer registered under that head office")
        target.status, target.deleted_on = BuyerStatus.DELETED, today()
        target.deleted_reason = (values.get("delete_reason") or "")[:100]
        db.session().add(target)
        return {"削除したバイヤーコード": target.code}
    rating, rated_on = _rating(inputs), _day(inputs.get("rated_on"))
    renamed = {key.removeprefix("branch_"): value for key, value in values.items() if key.startswith("branch_")}
    branch = _new_buyer(
        renamed,
        "",
        rating,
        rated_on,
        _limit_of(inputs, rating),
        application.id,
        head_office_id=head.id,
        relation=dict(RELATIONS).get(values.get("relation"), "支店"),
    )
    return _shown(branch)


def complete_release(application, inputs: dict) -> dict:
    """B05: the candidate stays in the register and its 24 months start again (7-5)."""
    buyer = find(application.answers().get("buyer_code"))
    if buyer is None:
        raise ValueError("the buyer is no longer in the register")
    buyer.status, buyer.release_deadline, buyer.sleeping_batch_id = BuyerStatus.REGISTERED, None, None
    register.touch(buyer)
    db.session().add(buyer)
    return {"バイヤーコード": buyer.code, "解除": "スリーピング候補を解除しました（最終活動日を更新しました）"}
