"""⑮ 各種情報照会 (screen pattern 2): the five inquiries of §5, each opening its screen; 「終了」 in
place of ログアウト."""

from tests.support.pages import normalize


def test_the_five_inquiries_are_listed_and_open(both):
    both.login("demo-user")
    both.go("home.home")
    page = both.go("inquiry.index")
    assert page.h1 == "各種情報照会"
    items = page.select(".inquiry-list__item")
    titles = [
        normalize(item.select_one(".inquiry-list__title button, .inquiry-list__label").get_text()) for item in items
    ]
    assert titles == ["海外商社情報", "保険契約", "個別保証枠", "事故", "国別引受方針"]
    linked = {normalize(button.get_text()): button["formaction"] for button in page.select(".inquiry-list button")}
    assert linked == {
        "海外商社情報": both.url("inquiry.buyers"),
        "保険契約": both.url("inquiry.policies"),
        "個別保証枠": both.url("inquiry.limits"),
        "事故": both.url("inquiry.losses"),
        "国別引受方針": both.url("inquiry.countries"),
    }
    assert not page.select(".menu-item__reason")


def test_each_available_inquiry_opens_from_the_list_and_leads_back(portal):
    portal.login("demo-user")
    portal.go("inquiry.index")
    assert portal.go("inquiry.buyers").h1 == "海外商社情報"
    assert portal.go("inquiry.index").h1 == "各種情報照会"
    assert portal.go("inquiry.countries").h1 == "国別引受方針"
    assert portal.go("home.home").h1 == "ユーザーページ"


def test_the_screen_is_pattern_2_and_ends_the_session_with_its_end_button(portal):
    portal.login("demo-user")
    page = portal.go("inquiry.index")
    assert page.text(".button--logout") == "終了" and "ログアウト" not in page.button_names()


def test_the_end_button_logs_out_as_logout_does(portal):
    portal.login("demo-user")
    page = portal.go("inquiry.index")
    end = page.one(".site-header button.button--logout").find_parent("form")
    assert portal.post(end["action"], {}).h1 == "ログアウト"
    assert portal.get("/").h1 == "ログイン"
