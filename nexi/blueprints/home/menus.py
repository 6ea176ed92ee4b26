"""The menus of the user page (1章 2-1 ⑧–⑰) as data.

Every entry of every menu is always listed (DOMAIN.md C.7). An entry links to its screen when the
user may use it; otherwise it is listed without a link and with a one-line reason: the role or the
condition of the 保険利用者 the user does not meet.
"""

from dataclasses import dataclass

from flask import current_app, get_template_attribute, url_for
from markupsafe import Markup

from nexi import registrations
from nexi.procedures import registry

ADMIN_ONLY = "管理者のみご利用いただけます"
# C.7: what an entry needs of the 保険利用者 beyond the role, and the reason shown without it. The
# 特約, association and 簡易通知型 conditions join with the chapters that create those contracts.
NEEDS = {"sme": "中小企業・農林水産業の要件を満たしていません", **registrations.REASONS}
EQUIPMENT = registrations.HOLDS_ASSOCIATION[registrations.EQUIPMENT]
CONSUMER = registrations.HOLDS_ASSOCIATION[registrations.CONSUMER]
RIDER, BLANKET = registrations.HOLDS_RIDER, registrations.HOLDS_BLANKET


@dataclass(frozen=True)
class Entry:
    """A menu entry: a procedure (by code: its label, 管理者のみ flag and start route come from its
    declaration, nexi/procedures/registry.py) or another screen (label and endpoint here)."""

    label: str = ""
    code: str | None = None  # procedure code (DOMAIN.md C.1), when the entry starts a procedure
    endpoint: str | None = None  # the screen it opens (an entry without a code)
    admin_only: bool = False
    needs: str | None = None  # a key of NEEDS: what the 保険利用者 must be or hold


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
            Entry(code="B01"),
            Entry(code="B02"),
            Entry(code="B03"),
            Entry(code="B04"),
            Entry(code="B05"),
        ),
    ),
    Area(
        "⑨",
        "insurance",
        "保険申込み・変更のお手続き",
        "保険申込み・変更の手続きです。詳細は「9章 貿易保険の申込みに関する手続き」をご参照ください。",
        (
            Entry(code="IA1"),
            Entry(code="IA2"),
            Entry(code="IB1", needs=EQUIPMENT),
            Entry(code="IB2", needs=EQUIPMENT),
            Entry(code="IC1", needs=CONSUMER),
            Entry(code="IC2", needs=CONSUMER),
            Entry(code="ID1", needs=RIDER),
            Entry(code="ID2", needs=RIDER),
            Entry(code="IE1", needs=BLANKET),
            Entry(code="IE2", needs=BLANKET),
            Entry(code="IF1", needs="sme"),
        ),
    ),
    Area(
        "⑩",
        "limits",
        "個別保証枠のお手続き",
        "個別保証枠の手続きです。詳細は「10章 個別保証枠等に関する手続き」をご参照ください。",
        (
            Entry(code="L01"),
            Entry(code="L02"),
            Entry(code="L03"),
        ),
    ),
    Area(
        "⑪",
        "comprehensive",
        "企業総合保険特約のお手続き",
        "企業総合保険特約に関する手続き（特約年度更新や特約期間中の企総登録等）です。"
        "詳細は「8章 企業総合保険特約に関する手続き」をご参照ください。",
        (
            Entry(code="K01", needs=RIDER),
            Entry(code="K02", needs=RIDER),
            Entry(code="K03", needs=RIDER),
            Entry(code="K04", needs=RIDER),
        ),
    ),
    Area(
        "⑫",
        "accidents",
        "事故に関するお手続き",
        "損失等発生通知、入金通知、保険金請求期間の猶予期間設定申請の手続きです。"
        "詳細は「11章 事故に関する手続き」をご参照ください。",
        (
            Entry(code="A01"),
            Entry(code="A02"),
            Entry(code="A03"),
        ),
    ),
    Area(
        "⑬",
        "eapply",
        "電子申請のお手続き",
        "電子申請に関する手続きです。詳細は「12章 電子申請に関する手続き」をご参照ください。",
        (Entry(code="E01"),),
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
        Entry("パスワード変更", endpoint="users.password"),
        Entry("保険利用者情報照会", endpoint="users.company"),
        Entry(code="U01"),
        Entry("Webユーザー管理", endpoint="users.manage", admin_only=True),
    ),
)


@dataclass(frozen=True)
class Item:
    """An entry as one user sees it: a link target, or the reason it has none."""

    label: str
    url: str | None
    reason: str | None
    code: str | None


def eligibilities(user, customer) -> frozenset[str]:
    """What decides the menus for this user (C.7): the role and the 保険利用者's conditions."""
    found = {"admin"} if user.is_admin else set()
    if customer.is_sme or customer.is_agri:
        found.add("sme")
    return frozenset(found | registrations.holdings(customer.id))


def item(entry: Entry, eligible: frozenset[str]) -> Item:
    label, endpoint, admin_only = entry.label, entry.endpoint, entry.admin_only
    if entry.code:
        label, admin_only = registry.title(entry.code), registry.admin_only(entry.code)
        endpoint = registry.PROCEDURES[entry.code].endpoint
    if admin_only and "admin" not in eligible:
        return Item(label, None, ADMIN_ONLY, entry.code)
    if entry.needs is not None and entry.needs not in eligible:
        return Item(label, None, NEEDS[entry.needs], entry.code)
    return Item(label, url_for(endpoint), None, entry.code)


def items(area: Area, eligible: frozenset[str]) -> list[Item]:
    return [item(entry, eligible) for entry in area.entries]


def procedure_items(codes, eligible: frozenset[str]) -> dict[str, Item]:
    """The menu entries of these procedures as the user sees them (e.g. for the buttons of the
    user page's 期限が近いお手続き): the same link, or the same reason, as in the menus."""
    entries = {entry.code: entry for area in PROCEDURE_AREAS for entry in area.entries if entry.code}
    return {code: item(entries[code], eligible) for code in set(codes) if code in entries}


def rendered(eligible: frozenset[str]) -> Markup:
    """The menus ⑧–⑯ as HTML. They differ only by what `eligibilities` gives, never by who asks,
    so each process renders them once per set of eligibilities (one customer is never shown
    another's menu: two customers alike in these see the same)."""
    cache = current_app.extensions.setdefault("nexi_menus", {})
    if eligible not in cache:
        render = get_template_attribute("components/menus.html", "menu_areas")
        cache[eligible] = render(
            [(area, items(area, eligible)) for area in PROCEDURE_AREAS],
            [(area, items(area, eligible)) for area in PATTERN2_AREAS],
            (USER_AREA, items(USER_AREA, eligible)),
        )
    return cache[eligible]
