"""2-1 ⑥ お知らせ and 掲載中のお知らせ一覧: what is published when, newest first, 10 a page."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from nexi import db
from nexi.models import Notice

NOW = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)  # 2026-04-15 10:00 JST


@pytest.fixture
def notices(app, monkeypatch):
    """Replace the demo notices with a known set, around a fixed business clock."""
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-04-15T10:00:00+09:00")

    def make(*specs):
        with app.app_context():
            db.session().exec(delete(Notice))
            for title, publish_days, expire_days in specs:
                db.session().add(
                    Notice(
                        title=title,
                        body=f"{title}の本文です。\n2行目です。",
                        category="システム",
                        publish_at=NOW + timedelta(days=publish_days),
                        expire_at=NOW + timedelta(days=expire_days) if expire_days is not None else None,
                    )
                )
            db.session().commit()

    return make


def test_only_published_unexpired_notices_show(portal, notices):
    notices(
        ("掲載中", -3, None),
        ("掲載終了", -30, -1),
        ("掲載予定", 2, None),
        ("期限内", -2, 5),
        ("ちょうど終了", -5, 0),
        ("ちょうど開始", 0, None),
    )
    portal.login()
    page = portal.go("home.notices")
    titles = page.texts("#notice-list tbody button")
    assert titles == ["ちょうど開始", "期限内", "掲載中"]


def test_the_user_page_shows_the_latest_three(portal, notices):
    notices(*[(f"お知らせ{n}", -n, None) for n in range(1, 6)])
    page = portal.login()
    assert page.texts(".home-notices .notice-list button") == ["お知らせ1", "お知らせ2", "お知らせ3"]
    assert page.text(".home-notices form[action='/notices'] button") == "掲載中のお知らせ一覧"


def test_the_list_pages_ten_at_a_time_newest_first(both, notices):
    notices(*[(f"お知らせ{n:02}", -n, None) for n in range(1, 24)])
    both.login()
    first = both.go("home.notices")
    assert first.texts("#notice-list tbody button")[:2] == ["お知らせ01", "お知らせ02"]
    assert len(first.select("#notice-list tbody tr")) == 10
    assert "23件中 1〜10件を表示（1/3ページ）" in first.text(".result-count")
    third = both.go("home.notices", {"page": "3"}, headers={"HX-Target": "notice-list"})
    assert third.texts("#notice-list tbody button") == ["お知らせ21", "お知らせ22", "お知らせ23"]
    assert "（3/3ページ）" in third.text(".result-count")


def test_with_htmx_the_page_changes_in_place(portal, notices):
    notices(*[(f"お知らせ{n:02}", -n, None) for n in range(1, 15)])
    portal.login()
    portal.go("home.notices")
    fragment = portal.go("home.notices", {"page": "2"}, htmx=True, headers={"HX-Target": "notice-list"})
    assert fragment.is_fragment
    assert not fragment.select("h1")
    assert fragment.one("#notice-list")
    assert fragment.texts("#notice-list tbody button") == [f"お知らせ{n}" for n in range(11, 15)]
    assert fragment.title.startswith("掲載中のお知らせ一覧")


def test_out_of_range_pages_show_the_nearest_page(portal, notices):
    notices(*[(f"お知らせ{n:02}", -n, None) for n in range(1, 4)])
    portal.login()
    assert "（1/1ページ）" in portal.go("home.notices", {"page": "99"}).text(".result-count")
    assert "（1/1ページ）" in portal.go("home.notices", {"page": "-4"}).text(".result-count")
    assert "（1/1ページ）" in portal.go("home.notices", {"page": "abc"}).text(".result-count")


def test_a_notice_opens_with_its_body(both, notices):
    notices(("年末年始のお知らせ", -1, None))
    both.login()
    listing = both.go("home.notices")
    notice_id = listing.one("#notice-list tbody button")["value"]
    page = both.go("home.notice_detail", {"notice": notice_id, "back_page": "1"})
    assert page.h1 == "お知らせ"
    assert page.text(".notice__title") == "年末年始のお知らせ"
    assert page.text(".notice__body") == "年末年始のお知らせの本文です。 2行目です。"
    assert page.select(".notice__body br")


def test_an_unpublished_notice_cannot_be_opened(portal, notices, app):
    notices(("掲載予定", 2, None), ("掲載中", -1, None))
    portal.login()
    with app.app_context():
        hidden = db.session().exec(Notice.__table__.select().where(Notice.title == "掲載予定")).first()
    page = portal.go("home.notice_detail", {"notice": str(hidden.id)})
    assert page.h1 == "掲載中のお知らせ一覧"
    assert any("掲載期間が終了したか存在しません" in message for message in page.messages)
    assert "掲載予定" not in page.text("#screen")


def test_no_notices_says_so(portal, notices):
    notices()
    page = portal.login()
    assert "現在掲載中のお知らせはありません" in page.text(".home-notices")
    assert "現在掲載中のお知らせはありません" in portal.go("home.notices").text("#screen")


def test_the_demo_data_hides_its_expired_and_scheduled_notices(portal):
    page = portal.login()
    listing = portal.go("home.notices")
    shown = listing.texts("#notice-list tbody button") + portal.go("home.notices", {"page": "2"}).texts(
        "#notice-list tbody button"
    )
    assert len(shown) == 12
    assert not [title for title in shown if "掲載終了" in title or "予定" in title]
    assert page.h1 == "ユーザーページ"


def test_each_process_keeps_the_published_notices_for_a_minute_of_the_business_clock(app, portal, notices):
    """Notices are the same for every customer: with NEXI_NOTICE_CACHE_SECONDS set, a worker reads
    them once per minute of the business clock (or per that many seconds) instead of per page."""
    from nexi import cache

    notices(("最初のお知らせ", -1, None))
    app.config["NEXI_NOTICE_CACHE_SECONDS"] = 60
    cache.clear()
    try:
        portal.login()
        first = portal.go("home.notices")
        again = portal.go("home.notices")
        assert int(again.response.headers["X-SQL-Count"]) == int(first.response.headers["X-SQL-Count"]) - 2
        notices(("最初のお知らせ", -1, None), ("追加のお知らせ", 0, None))
        assert portal.go("home.notices").texts("#notice-list tbody button") == ["最初のお知らせ"]
        app.config["NEXI_NOW"] = "2026-04-15T10:01:00+09:00"  # the next minute reads them again
        assert portal.go("home.notices").texts("#notice-list tbody button") == ["追加のお知らせ", "最初のお知らせ"]
    finally:
        app.config["NEXI_NOTICE_CACHE_SECONDS"] = 0
        cache.clear()
