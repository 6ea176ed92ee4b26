"""Rules of the buyer procedures that read the register (DOMAIN.md §7).

The register is global (C.4.1): any customer may name any registered buyer. What a customer has
pending about a buyer is its own: only its own applications are consulted.
"""

import re
import unicodedata
from datetime import date

from sqlmodel import select
from wtforms import ValidationError

from nexi import db
from nexi.clock import now
from nexi.models import Buyer, BuyerStatus


def name_key(name: str) -> str:
    """A name reduced for comparison: NFKC, case-folded, punctuation and spaces removed."""
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", name or "").casefold())


def find(code: str | None, *, include_deleted: bool = False) -> Buyer | None:
    if not code:
        return None
    query = select(Buyer).where(Buyer.code == code)
    if not include_deleted:
        query = query.where(Buyer.status != BuyerStatus.DELETED)
    return db.session().exec(query).first()


def same_name(name: str, country_code: str) -> Buyer | None:
    """A registered buyer of that country whose name is the same once normalised."""
    return (
        db.session()
        .exec(
            select(Buyer).where(
                Buyer.country_code == country_code,
                Buyer.name_key == name_key(name),
                Buyer.status != BuyerStatus.DELETED,
            )
        )
        .first()
    )


def release_open(buyer: Buyer) -> bool:
    """Whether a スリーピング候補's 解除申請期限 has not passed (it ends 23:59:59 JST, C.5)."""
    from nexi.clock import end_of_day_jst

    return buyer.release_deadline is not None and now() <= end_of_day_jst(buyer.release_deadline)


class Registered:
    """The バイヤーコード names a buyer in the register (not deleted)."""

    def __init__(self, thing: str):
        self.thing = thing

    def __call__(self, form, field):
        if field.data and find(field.data) is None:
            raise ValidationError(f"{self.thing}「{field.data}」は海外商社名簿に登録されていません")


class SleepingCandidate:
    """The バイヤーコード names a current スリーピング候補 whose 解除申請期限 has not passed (7-5)."""

    def __call__(self, form, field):
        if not field.data:
            return
        buyer = find(field.data)
        if buyer is None:
            raise ValidationError(f"バイヤーコード「{field.data}」は海外商社名簿に登録されていません")
        if buyer.status != BuyerStatus.SLEEPING:
            raise ValidationError(f"バイヤーコード「{field.data}」はスリーピング候補バイヤーではありません")
        if not release_open(buyer):
            deadline: date = buyer.release_deadline
            raise ValidationError(
                f"解除申請期限（{deadline.year}年{deadline.month}月{deadline.day}日）を過ぎているため申請できません。"
                "取引を再開するには、海外商社新規登録をお申込みください"
            )
