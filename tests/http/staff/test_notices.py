"""S.7 お知らせ管理: a 管理担当 lists every notice, creates one (下書き or to publish), edits it,
publishes a draft and withdraws a notice, each confirmed and audited with before/after; customers
see a change made through the console at once, and one made elsewhere (another worker) within
NEXI_NOTICE_CACHE_SECONDS; a 審査担当 can do none of it."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import col, delete, select, update

from nexi import cache, db
from nexi.models import AuditEvent, Notice
from tests.support.staff import staff_account

NOW = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)  # 2026-04-15 10:00 JST
FORM = {
    "title": "システムメンテナンスのお知らせ",
    "body": "4月20日にメンテナンスを行います。\r\nその間はご利用いただけません。",
    "category": "システム",
    "publish_at": "2026-04-15 09:00",
    "expire_at": "",
}
MANAGER_ACTIONS = [
    ("staff.notice_list", {}),
    ("staff.notice_page", {"page": "2"}),
    ("staff.notice_detail", {"notice": "1"}),
    ("staff.notice_new", {}),
    ("staff.notice_edit", {"notice": "1"}),
    ("staff.notice_check", FORM),
    ("staff.notice_save", {"action": "publish"}),
    ("staff.notice_action", {"notice": "1", "action": "withdraw"}),
    ("staff.notice_apply", {"action": "apply"}),
]


@pytest.fixture
def board(app, monkeypatch):
    """A fixed business clock and one published notice instead of the demo ones; returns a
    function adding a notice directly in the database (as the sleeping-buyer batch does)."""
    monkeypatch.setitem(app.config, "NEXI_NOW", "2026-04-15T10:00:00+09:00")

    def add(title, *, hours=-1, draft=False):
        with app.app_context():
            notice = Notice(
                title=title, body="本文", category="その他", publish_at=NOW + timedelta(hours=hours), draft=draft
            )
            db.session().add(notice)
            db.session().commit()
            return notice.id

    with app.app_context():
        db.session().exec(delete(Notice))
        db.session().commit()
    add("既存のお知らせ", hours=-48)
    return add


def customer_titles(portal) -> list[str]:
    return portal.go("home.notices").texts("button[name=notice]")


def create(staff, action="publish", **values):
    staff.go("staff.notice_list")
    staff.go("staff.notice_new")
    page = staff.go("staff.notice_check", {"action": "next", **(FORM | values)})
    assert page.h1 == "お知らせの登録（確認）", page.error_summary
    return staff.go("staff.notice_save", {"action": action})


def open_notice(staff, title):
    page = staff.go("staff.notice_list")
    (button,) = [b for b in page.select("button[name=notice]") if b.get_text(strip=True) == title]
    return staff.go("staff.notice_detail", {"notice": button["value"]})


def audits(app, kind):
    with app.app_context():
        return db.session().exec(select(AuditEvent).where(AuditEvent.kind == kind)).all()


def notice_titled(app, title) -> Notice:
    with app.app_context():
        return db.session().exec(select(Notice).where(Notice.title == title)).one()


def test_the_list_shows_every_notice_with_its_state(app, staff, board):
    board("予定のお知らせ", hours=24)
    board("休眠バイヤーのお知らせ（下書き）", hours=-2, draft=True)
    with app.app_context():
        db.session().add(
            Notice(
                title="終了したお知らせ",
                body="本文",
                category="制度",
                publish_at=NOW - timedelta(days=30),
                expire_at=NOW - timedelta(days=1),
            )
        )
        db.session().add(
            Notice(
                title="取り消したお知らせ",
                body="本文",
                category="重要",
                publish_at=NOW - timedelta(days=3),
                withdrawn_at=NOW,
            )
        )
        db.session().commit()
    staff.login("demo-manager")
    assert "お知らせ管理" in staff.current().button_names()
    page = staff.go("staff.notice_list")
    assert page.h1 == "お知らせ管理"
    rows = {row.select_one("th").get_text(strip=True): row for row in page.select("tr.notice-row")}
    assert list(rows) == [
        "予定のお知らせ",
        "休眠バイヤーのお知らせ（下書き）",
        "既存のお知らせ",
        "取り消したお知らせ",
        "終了したお知らせ",
    ]  # newest 掲載開始 first
    states = {title: row.select_one(".notice-status").get_text(strip=True) for title, row in rows.items()}
    assert states == {
        "予定のお知らせ": "掲載予定",
        "休眠バイヤーのお知らせ（下書き）": "下書き",
        "既存のお知らせ": "掲載中",
        "取り消したお知らせ": "掲載取消",
        "終了したお知らせ": "掲載終了",
    }
    draft_buttons = [b.get_text(strip=True) for b in rows["休眠バイヤーのお知らせ（下書き）"].select("td button")]
    assert draft_buttons == ["公開", "編集"]
    assert rows["終了したお知らせ"].select_one("td:nth-of-type(3)").get_text(strip=True) == "2026年04月14日 10:00"


def test_the_list_is_paged(app, staff, board, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_PAGE_SIZE", 2)
    for index in range(4):
        board(f"お知らせ{index}", hours=-index - 1)
    staff.login("demo-manager")
    assert len(staff.go("staff.notice_list").select("tr.notice-row")) == 2
    page = staff.go("staff.notice_page", {"page": "3"})
    assert page.texts("tr.notice-row th") == ["既存のお知らせ"]
    assert "5件中 5〜5件を表示（3/3ページ）" in page.screen_text


def test_a_published_notice_shows_to_customers_from_its_start(app, staff_both, portal, board):
    portal.login("demo-admin")
    staff_both.login("demo-manager")
    page = create(staff_both, title="新機能のお知らせ", publish_at="2026-04-16 09:00")
    assert page.h1 == "お知らせ管理（完了）"
    assert page.text(".notice-status") == "掲載予定"
    assert customer_titles(portal) == ["既存のお知らせ"]  # not before its 掲載開始
    app.config["NEXI_NOW"] = "2026-04-16T09:00:00+09:00"
    assert customer_titles(portal) == ["新機能のお知らせ", "既存のお知らせ"]
    notice = notice_titled(app, "新機能のお知らせ")
    assert notice.publish_at == datetime(2026, 4, 16, 0, 0, tzinfo=UTC)  # typed in JST, stored in UTC
    assert notice.staff_user_id == staff_account(app, "demo-manager").id


def test_the_body_keeps_its_line_breaks_and_stays_plain_text(app, staff, portal, board):
    staff.login("demo-manager")
    create(staff, title="改行のお知らせ", body="1行目 <b>太字</b>\r\n2行目")
    assert notice_titled(app, "改行のお知らせ").body == "1行目 <b>太字</b>\n2行目"
    portal.login("demo-admin")
    assert customer_titles(portal)[0] == "改行のお知らせ"
    page = portal.go("home.notice_detail", {"notice": str(notice_titled(app, "改行のお知らせ").id)})
    body = page.one(".notice__body p")
    assert body.select("b") == [] and len(body.select("br")) == 1
    assert page.text(".notice__body") == "1行目 <b>太字</b> 2行目"


def test_a_draft_is_not_shown_until_published(app, staff, portal, board):
    portal.login("demo-admin")
    staff.login("demo-manager")
    page = create(staff, action="draft", title="下書きのお知らせ")
    assert page.text(".notice-status") == "下書き"
    assert customer_titles(portal) == ["既存のお知らせ"]
    page = staff.go("staff.notice_list")
    (row,) = [r for r in page.select("tr.notice-row") if "下書きのお知らせ" in r.get_text()]
    notice_id = row.select_one("button[name=notice]")["value"]
    page = staff.go("staff.notice_action", {"notice": notice_id, "action": "publish"})
    assert page.h1 == "お知らせの公開（確認）"
    assert customer_titles(portal) == ["既存のお知らせ"]  # nothing yet
    page = staff.go("staff.notice_apply", {"action": "apply"})
    assert page.h1 == "お知らせ管理（完了）" and page.text(".notice-status") == "掲載中"
    assert customer_titles(portal) == ["下書きのお知らせ", "既存のお知らせ"]
    (event,) = audits(app, "staff.notice.published")
    assert event.detail["before"]["draft"] is True and event.detail["after"]["draft"] is False


def test_a_batch_draft_can_be_edited_and_published_in_one_save(app, staff, portal, board):
    board("休眠バイヤーの登録抹消について", hours=-1, draft=True)
    portal.login("demo-admin")
    staff.login("demo-manager")
    staff.go("staff.notice_list")
    page = staff.go("staff.notice_edit", {"notice": str(notice_titled(app, "休眠バイヤーの登録抹消について").id)})
    assert page.h1 == "お知らせの編集"
    values = page.form_values()
    assert values["title"] == "休眠バイヤーの登録抹消について" and values["publish_at"] == "2026-04-15 09:00"
    page = staff.go("staff.notice_check", {"action": "next", **values, "body": "対象のバイヤーは別紙のとおりです。"})
    assert page.texts(".button-row button") == ["掲載する", "下書きとして保存する", "修正する"]
    page = staff.go("staff.notice_save", {"action": "publish"})
    assert "公開しました" in page.text(".staff-done")
    assert customer_titles(portal) == ["休眠バイヤーの登録抹消について", "既存のお知らせ"]


def test_an_edit_shows_to_customers_at_once_on_this_worker(app, staff_both, portal, board, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOTICE_CACHE_SECONDS", 60)
    portal.login("demo-admin")
    assert customer_titles(portal) == ["既存のお知らせ"]  # now in this process's cache
    staff_both.login("demo-manager")
    page = open_notice(staff_both, "既存のお知らせ")
    assert page.h1 == "お知らせ詳細"
    page = staff_both.go("staff.notice_edit")
    values = page.form_values() | {"title": "変更したお知らせ", "expire_at": "2026-05-01 00:00"}
    page = staff_both.go("staff.notice_check", {"action": "next", **values})
    assert page.h1 == "お知らせの編集（確認）"
    assert page.texts(".button-row button") == ["変更を保存する", "修正する"]  # a published notice stays published
    page = staff_both.go("staff.notice_save", {"action": "save"})
    assert page.h1 == "お知らせ管理（完了）" and page.text(".notice-title") == "変更したお知らせ"
    assert customer_titles(portal) == ["変更したお知らせ"]
    (event,) = audits(app, "staff.notice.updated")
    assert event.detail["before"]["title"] == "既存のお知らせ" and event.detail["before"]["expire_at"] is None
    assert event.detail["after"]["title"] == "変更したお知らせ"
    assert event.detail["after"]["expire_at"] == "2026-04-30T15:00:00+00:00"
    assert event.staff_user_id == staff_account(app, "demo-manager").id


def test_withdrawing_hides_the_notice_after_a_confirmation(app, staff, portal, board, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOTICE_CACHE_SECONDS", 60)
    portal.login("demo-admin")
    assert customer_titles(portal) == ["既存のお知らせ"]
    staff.login("demo-manager")
    open_notice(staff, "既存のお知らせ")
    page = staff.go("staff.notice_action", {"action": "withdraw"})
    assert page.h1 == "お知らせの掲載取消（確認）"
    assert staff.go("staff.notice_apply", {"action": "back"}).h1 == "お知らせ詳細"
    assert audits(app, "staff.notice.withdrawn") == []
    staff.go("staff.notice_action", {"action": "withdraw"})
    page = staff.go("staff.notice_apply", {"action": "apply"})
    assert page.text(".notice-status") == "掲載取消"
    assert customer_titles(portal) == []
    (event,) = audits(app, "staff.notice.withdrawn")
    assert event.detail["before"]["withdrawn_at"] is None and event.detail["after"]["withdrawn_at"]
    # A withdrawn notice is neither offered for editing nor edited when asked.
    page = open_notice(staff, "既存のお知らせ")
    assert "編集" not in page.button_names() and "掲載取消" not in page.button_names()
    page = staff.go("staff.notice_edit")
    assert page.h1 == "お知らせ詳細"
    assert any("編集できません" in message for message in page.messages)


def test_a_created_notice_is_audited(app, staff, board):
    staff.login("demo-manager")
    create(staff, action="draft", title="監査のお知らせ")
    (event,) = audits(app, "staff.notice.created")
    assert event.detail["before"] is None
    assert event.detail["after"] == {
        "title": "監査のお知らせ",
        "body": "4月20日にメンテナンスを行います。\nその間はご利用いただけません。",
        "category": "システム",
        "publish_at": "2026-04-15T00:00:00+00:00",
        "expire_at": None,
        "draft": True,
        "withdrawn_at": None,
    }
    assert event.staff_user_id == staff_account(app, "demo-manager").id


def test_bad_input_is_told_at_each_field_and_kept(app, staff_both, board):
    staff_both.login("demo-manager")
    staff_both.go("staff.notice_list")
    staff_both.go("staff.notice_new")
    typed = {
        "title": "あ" * 101,
        "body": "い" * 4001,
        "category": "",
        "publish_at": "2026-04-15 09:00",
        "expire_at": "2026-04-15 09:00",
        "action": "next",
    }
    page = staff_both.go("staff.notice_check", typed)
    assert page.h1 == "お知らせの登録"
    assert page.field_error("title") == "タイトルは100文字以内で入力してください"
    assert page.field_error("body") == "本文は4000文字以内で入力してください"
    assert page.field_error("category") == "カテゴリを選択してください"
    assert page.field_error("expire_at") == "掲載終了日時は掲載開始日時より後の日時を入力してください"
    assert len(page.error_summary) == 4
    values = page.form_values()
    assert values["title"] == typed["title"] and values["body"] == typed["body"]
    assert values["expire_at"] == "2026-04-15 09:00"
    page = staff_both.go("staff.notice_check", typed | {"publish_at": "4月15日", "expire_at": "2026-04-15 25:00"})
    assert "「2026-04-15 09:00」の形式" in page.field_error("publish_at")
    assert "「2026-04-15 09:00」の形式" in page.field_error("expire_at")
    assert page.form_values()["publish_at"] == "4月15日"
    page = staff_both.go("staff.notice_check", typed | {"title": "", "body": "", "publish_at": ""})
    assert page.field_error("title") == "タイトルを入力してください"
    assert page.field_error("publish_at") == "掲載開始日時を入力してください"
    with app.app_context():
        assert db.session().exec(select(Notice).where(Notice.title != "既存のお知らせ")).all() == []


def test_confirm_goes_back_to_the_input_with_it_kept(staff, board):
    staff.login("demo-manager")
    staff.go("staff.notice_list")
    staff.go("staff.notice_new")
    staff.go("staff.notice_check", {"action": "next", **FORM, "publish_at": "２０２６／４／１５　９：００"})
    page = staff.go("staff.notice_save", {"action": "back"})
    assert page.h1 == "お知らせの登録"
    assert page.form_values()["publish_at"] == "2026-04-15 09:00"
    assert page.form_values()["body"] == FORM["body"].replace("\r\n", "\n")


def test_an_edit_over_a_change_made_meanwhile_saves_nothing(app, staff, board):
    staff.login("demo-manager")
    open_notice(staff, "既存のお知らせ")
    page = staff.go("staff.notice_edit")
    staff.go("staff.notice_check", {"action": "next", **page.form_values(), "title": "私の変更"})
    with app.app_context():  # another staff member saves first
        db.session().exec(
            update(Notice)
            .where(col(Notice.title) == "既存のお知らせ")
            .values(title="先に保存した変更", updated_at=datetime.now(UTC))
        )
        db.session().commit()
    page = staff.go("staff.notice_save", {"action": "save"})
    assert page.h1 == "お知らせ詳細"
    assert any("保存しませんでした" in message for message in page.messages)
    assert page.text(".notice-title") == "先に保存した変更"
    assert audits(app, "staff.notice.updated") == []


def test_a_draft_saved_again_since_its_confirmation_is_not_published(app, staff, portal, board):
    board("下書きのお知らせ", hours=-1, draft=True)
    portal.login("demo-admin")
    staff.login("demo-manager")
    page = staff.go("staff.notice_list")
    (row,) = [r for r in page.select("tr.notice-row") if "下書きのお知らせ" in r.get_text()]
    staff.go("staff.notice_action", {"notice": row.select_one("button[name=notice]")["value"], "action": "publish"})
    with app.app_context():  # another staff member saves the draft with another text meanwhile
        db.session().exec(
            update(Notice)
            .where(col(Notice.title) == "下書きのお知らせ")
            .values(body="まだ確認していない本文", updated_at=datetime.now(UTC))
        )
        db.session().commit()
    page = staff.go("staff.notice_apply", {"action": "apply"})
    assert page.h1 == "お知らせ詳細" and page.text(".notice-status") == "下書き"
    assert any("保存しませんでした" in message for message in page.messages)
    assert customer_titles(portal) == ["既存のお知らせ"]
    assert audits(app, "staff.notice.published") == []


def test_a_change_made_elsewhere_shows_within_the_cache_lifetime(app, staff, portal, board, monkeypatch):
    """Another worker's change (here written to the database directly) reaches this worker's
    customers once its copy is NEXI_NOTICE_CACHE_SECONDS old; a change through this worker's
    console at once."""
    clock = SimpleNamespace(monotonic=lambda: clock.now, now=1000.0)
    monkeypatch.setattr(cache, "time", clock)
    monkeypatch.setitem(app.config, "NEXI_NOTICE_CACHE_SECONDS", 60)
    portal.login("demo-admin")
    assert customer_titles(portal) == ["既存のお知らせ"]
    with app.app_context():
        db.session().exec(
            update(Notice).where(col(Notice.title) == "既存のお知らせ").values(title="別のワーカーで変更")
        )
        db.session().commit()
    clock.now += 59
    assert customer_titles(portal) == ["既存のお知らせ"]
    clock.now += 2
    assert customer_titles(portal) == ["別のワーカーで変更"]
    staff.login("demo-manager")
    open_notice(staff, "別のワーカーで変更")
    staff.go("staff.notice_action", {"action": "withdraw"})
    staff.go("staff.notice_apply", {"action": "apply"})
    assert customer_titles(portal) == []  # no time has passed


def test_a_reviewer_is_refused_every_action(app, staff, board):
    staff.login("demo-reviewer")
    assert "お知らせ管理" not in staff.current().button_names()
    for endpoint, data in MANAGER_ACTIONS:
        page = staff.go(endpoint, data)
        assert page.h1 == "職員コンソール", endpoint
        assert any("管理担当のみ" in message for message in page.messages), endpoint
    with app.app_context():
        assert db.session().exec(select(Notice)).all()[0].title == "既存のお知らせ"
    assert len(audits(app, "staff.denied")) == len(MANAGER_ACTIONS)


def test_an_id_not_offered_is_refused(app, staff, board):
    staff.login("demo-manager")
    staff.go("staff.notice_list")
    assert staff.go("staff.notice_detail", {"notice": "99999999999999999999"}).h1 == "お知らせ管理"
    assert staff.go("staff.notice_detail", {"notice": "abc"}).h1 == "お知らせ管理"
    existing = notice_titled(app, "既存のお知らせ").id
    # 公開 is offered only for a draft, and the apply step acts only on the confirmed notice.
    assert staff.go("staff.notice_action", {"notice": str(existing), "action": "publish"}).h1 == "お知らせ詳細"
    assert staff.go("staff.notice_apply", {"action": "apply"}).h1 == "お知らせ管理"
    assert audits(app, "staff.notice.published") == []
