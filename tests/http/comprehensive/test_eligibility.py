"""C.7 for ⑪ 企業総合保険特約に関する手続き: K01–K03 are open to every user of a customer holding a
有効 企業総合 特約; another customer's menu lists them without a link, with the reason, and their
start is refused."""

import pytest

from nexi import registrations
from tests.http.comprehensive.helpers import K01, K02, K03

REASON = registrations.REASONS[registrations.HOLDS_RIDER]
TITLES = {K01: "期中企総登録", K02: "支払限度額増額申請", K03: "企総登録内容変更・削除"}


def menu(page) -> dict[str, str | None]:
    found = {}
    for item in page.select("#area-comprehensive .menu-item"):
        reason, link = item.select_one(".menu-item__reason"), item.select_one("button")
        label = link if link is not None else item.select_one(".menu-item__label")
        found[label.get_text()] = reason.get_text() if reason else None
    return found


def test_a_customer_without_a_rider_sees_the_entries_without_links_and_the_reason(portal):
    page = portal.login("other-admin")
    entries = menu(page)
    for title in TITLES.values():
        assert entries[title] == f"（{REASON}）"
    disabled = page.text("#area-comprehensive")
    assert all(title in disabled for title in TITLES.values())
    assert not page.select("#area-comprehensive .menu-item--disabled button")


@pytest.mark.parametrize("endpoint", [K01, K02, K03])
def test_a_customer_without_a_rider_is_refused_at_the_start(portal, endpoint):
    portal.login("other-admin")
    page = portal.go(endpoint)
    assert any(REASON in message for message in page.messages)
    assert portal.state()["screen"] == "home.index"


@pytest.mark.parametrize("login", ["demo-admin", "demo-user"])
def test_every_user_of_a_customer_with_a_rider_may_start_them(portal, login):
    page = portal.login(login)
    entries = menu(page)
    for title in TITLES.values():
        assert entries[title] is None
    for endpoint, title in TITLES.items():
        assert portal.go(endpoint).h1.startswith(title)
