"""The menus of the user page (1章 2-1 ⑧–⑰) as data.

Every entry of every menu is always listed (DOMAIN.md C.7). An entry links to its screen when
its chapter is built and the user may use it; otherwise it is listed without a link and with a
one-line reason: 「準備中」 for a chapter not built yet, or the condition the user does not meet.
"""

from dataclasses import dataclass

from flask import current_app, get_template_attribute, url_for
from markupsafe import Markup

ADMIN_ONLY = "管理者のみご利用いただけます"
NOT_YET = "準備中"


@dataclass(frozen=True)
class Entry:
    label: str
    code: str | None = None  # procedure code (DOMAIN.md C.1), when the entry starts a procedure
    endpoint: str | None = None  # the screen it opens, once built
    admin_only: bool = False
    note: str = ""


@dataclass(frozen=True)
class Area:
    number: str
    key: str
    title: str
    description: str
    entries: tuple[Entry, ...]


PROCEDURE_AREAS = (
    Area(
        "⑧",
        "buyers",
        "海外商社登録等のお手続き",
        "海外商社に関する手続き（新規登録など）です。"
        "詳細は「7章 海外商社（バイヤー）に関する手続き」をご参照ください。",
        (
            Entry("海外商社新規登録", "B01"),
            Entry("格付変更申請", "B02"),
            Entry("名称・住所の変更・追加", "B03"),
            Entry("海外支店・子会社等の登録・削除", "B04"),
            Entry("スリーピング候補バイヤー解除申請", "B05"),
        ),
    ),
    Area(
        "⑨",
        "insurance",
        "保険申込み・変更のお手続き",
        "保険申込み・変更の手続きです。詳細は「9章 貿易保険の申込みに関する手続き」をご参照ください。",
        (
            Entry("貿易一般保険（個別） 申込", "IA1"),
            Entry("貿易一般保険（個別） 変更", "IA2"),
            Entry("設備財包括保険 申込", "IB1"),
            Entry("設備財包括保険 変更", "IB2"),
            Entry("消費財包括保険 申込", "IC1"),
            Entry("消費財包括保険 変更", "IC2"),
            Entry("企業総合保険 申込", "ID1"),
            Entry("企業総合保険 変更", "ID2"),
            Entry("簡易通知型包括保険 申込（船積確定通知）", "IE1"),
            Entry("簡易通知型包括保険 変更（訂正・取消）", "IE2"),
            Entry("中小企業・農林水産業輸出代金保険 申込", "IF1"),
        ),
    ),
    Area(
        "⑩",
        "limits",
        "個別保証枠のお手続き",
        "個別保証枠の手続きです。詳細は「10章 個別保証枠等に関する手続き」をご参照ください。",
        (
            Entry("個別保証枠取得（確認申請）", "L01"),
            Entry("枠戻し", "L02"),
            Entry("決済通知", "L03"),
        ),
    ),
    Area(
        "⑪",
        "comprehensive",
        "企業総合保険特約のお手続き",
        "企業総合保険特約に関する手続き（特約年度更新や特約期間中の企総登録等）です。"
        "詳細は「8章 企業総合保険特約に関する手続き」をご参照ください。",
        (
            Entry("期中企総登録", "K01"),
            Entry("支払限度額増額申請", "K02"),
            Entry("企総登録内容変更・削除", "K03"),
            Entry("特約年度更新", "K04", admin_only=True),
        ),
    ),
    Area(
        "⑫",
        "accidents",
        "事故に関するお手続き",
        "損失等発生通知、入金通知、保険金請求期間の猶予期間設定申請の手続きです。"
        "詳細は「11章 事故に関する手続き」をご参照ください。",
        (
            Entry("損失等発生通知", "A01"),
            Entry("入金通知", "A02"),
            Entry("保険金請求期間の猶予期間設定申請", "A03"),
        ),
    ),
    Area(
        "⑬",
        "eapply",
        "電子申請のお手続き",
        "電子申請に関する手続きです。詳細は「12章 電子申請に関する手続き」をご参照ください。",
        (Entry("電子申請", "E01"),),
    ),
)

PATTERN2_AREAS = (
    Area(
        "⑭",
        "estimate",
        "保険料試算",
        "保険料試算機能です。詳細は「6章 保険料試算」をご参照ください。",
        (Entry("保険料試算", endpoint="estimate.index"),),
    ),
    Area(
        "⑮",
        "inquiry",
        "各種情報照会",
        "海外商社情報や保険契約などの情報照会機能です。詳細は「5章 各種情報照会」をご参照ください。",
        (Entry("各種情報照会", endpoint="inquiry.index"),),
    ),
)

USER_AREA = Area(
    "⑯",
    "users",
    "ユーザー管理のお手続き",
    "自ユーザーのパスワード変更や保険利用者情報の確認等を行う機能です。詳細は「3章 ユーザー管理」をご参照ください。",
    (
        Entry("パスワード変更"),
        Entry("保険利用者情報照会"),
        Entry("保険利用者情報変更申請", "U01", admin_only=True),
        Entry("Webユーザー管理", admin_only=True),
    ),
)


@dataclass(frozen=True)
class Item:
    """An entry as one user sees it: a link target, or the reason it has none."""

    label: str
    url: str | None
    reason: str | None
    code: str | None


def items(area: Area, is_admin: bool) -> list[Item]:
    from nexi.procedures import registry

    shown = []
    for entry in area.entries:
        endpoint = entry.endpoint
        if entry.code and entry.code in registry.PROCEDURES:
            endpoint = registry.PROCEDURES[entry.code].start_endpoint
        if entry.admin_only and not is_admin:
            shown.append(Item(entry.label, None, ADMIN_ONLY, entry.code))
        elif endpoint is None:
            shown.append(Item(entry.label, None, NOT_YET, entry.code))
        else:
            shown.append(Item(entry.label, url_for(endpoint), None, entry.code))
    return shown


def rendered(is_admin: bool) -> Markup:
    """The menus ⑧–⑯ as HTML. They differ only by role, so each process renders them once."""
    cache = current_app.extensions.setdefault("nexi_menus", {})
    if is_admin not in cache:
        render = get_template_attribute("components/menus.html", "menu_areas")
        cache[is_admin] = render(
            [(area, items(area, is_admin)) for area in PROCEDURE_AREAS],
            [(area, items(area, is_admin)) for area in PATTERN2_AREAS],
            (USER_AREA, items(USER_AREA, is_admin)),
        )
    return cache[is_admin]
