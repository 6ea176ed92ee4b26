"""5章 各種情報照会 (screen pattern 2): the list of the five inquiries of §5."""

from dataclasses import dataclass

from nexi.blueprints.inquiry import bp
from nexi.navigation import guarded, screen, show
from nexi.rendering import render_screen


@dataclass(frozen=True)
class Inquiry:
    number: str  # the section of §5
    title: str
    description: str
    endpoint: str | None = None  # None: listed without a link, for `reason`
    reason: str = ""


INQUIRIES = (
    Inquiry("5-1", "海外商社情報", "海外商社名簿に登録されている海外商社（バイヤー）の格付・状態などを照会します。",
            endpoint="inquiry.buyers"),
    Inquiry("5-2", "保険契約", "自社の保険契約（証券番号、保険期間、決済の状況など）を照会します。",
            endpoint="inquiry.policies"),
    Inquiry("5-3", "個別保証枠", "自社が確認・利用している個別保証枠の状況を、海外商社ごとに照会します。",
            endpoint="inquiry.limits"),
    Inquiry("5-4", "事故", "自社の事故（損失等発生通知の後の状況、保険金の請求期限など）を照会します。",
            endpoint="inquiry.losses"),
    Inquiry("5-5", "国別引受方針", "国・地域ごとのカテゴリーと引受方針（案件枠、最長ユーザンス、L/C条件）を照会します。",
            endpoint="inquiry.countries"),
)  # fmt: skip


@bp.post("/")
@guarded
def index():
    """5章 各種情報照会 (⑮)."""
    return show("inquiry.index")


@screen("inquiry.index", pattern=2)
def index_screen():
    return render_screen("inquiry/index.html", inquiries=INQUIRIES)
