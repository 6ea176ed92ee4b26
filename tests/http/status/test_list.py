"""4-3 Web申込状況一覧: who sees what, filters, order, paging, CSV, and ⑦ on the user page."""

import csv
import io
from datetime import timedelta

from sqlmodel import select

from nexi import db
from nexi.clock import JST, add_months, now, to_jst, today
from nexi.models import Application, LoginSession, Status, WebUser
from tests.support.procedures import b01, walk


def listed(page) -> list[str]:
    return [button["value"] for button in page.select("#application-list tbody button")]


def numbers(app, **where) -> set[str]:
    with app.app_context():
        query = select(Application.number)
        for name, value in where.items():
            query = query.where(getattr(Application, name) == value)
        return set(db.session().exec(query).all())


def user_id(app, login_id):
    with app.app_context():
        return db.session().exec(select(WebUser.id).where(WebUser.login_key == login_id)).one()


def test_an_admin_sees_the_whole_company_a_general_user_only_its_own(app, portal, other_portal):
    portal.login("demo-admin")
    admin = set(listed(portal.go("status.index")))
    other_portal.login("demo-user")
    general = set(listed(other_portal.go("status.index")))
    assert general and general < admin
    assert general <= numbers(app, user_id=user_id(app, "demo-user"))
    assert not admin & numbers(app, user_id=user_id(app, "other-admin"))


def test_the_list_has_the_columns_of_the_manual_newest_update_first(app, both):
    both.login()
    page = both.go("status.index")
    assert page.texts("#application-list thead th") == [
        "Web申込番号",
        "手続種別",
        "対象",
        "申込日時",
        "申込者",
        "状況",
        "最終更新日時",
        "期限超過",
        "操作",
    ]
    since = add_months(today(), -3)  # the default 期間 (the demo contract book's L01 / IA1 go back further)
    with app.app_context():
        expected = [
            number
            for number, listed_at in db.session().exec(
                select(Application.number, Application.listed_at)
                .where(Application.customer_id == 1, Application.status != Status.DRAFT)
                .order_by(Application.updated_at.desc(), Application.number.desc())
            )
            if to_jst(listed_at).date() >= since
        ]
    assert [n for n in listed(page) if n in expected] == expected


def test_expired_drafts_are_hidden_by_default_and_shown_as_expired(app, portal):
    portal.login("demo-user")
    default = portal.go("status.index")
    assert "期限切れ" not in default.texts("#application-list .tag--status")
    page = portal.go(
        "status.search",
        {
            "date_from": (now() - timedelta(days=90)).date().isoformat(),
            "date_to": now().date().isoformat(),
            "statuses": ["expired"],
            "order": "new",
        },
    )
    assert page.texts("#application-list .tag--status") == ["期限切れ"]


def test_filters_narrow_the_list(app, portal):
    portal.login("demo-admin")
    base = {
        "date_from": (now() - timedelta(days=90)).date().isoformat(),
        "date_to": now().date().isoformat(),
        "statuses": [s.value for s in Status],
        "order": "new",
    }
    by_procedure = portal.go("status.search", {**base, "procedure": "B02"})
    assert set(by_procedure.texts("#application-list tbody td:nth-child(2)")) == {"格付変更申請"}
    by_status = portal.go("status.search", {**base, "statuses": ["returned"]})
    assert by_status.texts("#application-list .tag--status") == ["差戻し"]
    by_target = portal.go("status.search", {**base, "target_key": "105000201"})
    assert set(by_target.texts("#application-list tbody td:nth-child(3)")) == {
        "105-000201 SHANGHAI HUAXIN TRADING CO., LTD."
    }  # its B02 and the demo contract book's L01 and IA1
    number = by_target.select("#application-list tbody button")[0]["value"]
    assert listed(portal.go("status.search", {**base, "number": number.lower()})) == [number]
    by_user = portal.go("status.search", {**base, "applicant": "DEMO-USER"})
    assert set(by_user.texts("#application-list tbody td:nth-child(5)")) == {"demo-user"}


def test_the_search_criteria_are_checked(portal):
    portal.login()
    page = portal.go(
        "status.search", {"date_from": "2026-05-01", "date_to": "2026-04-01", "statuses": ["draft"], "order": "new"}
    )
    assert page.field_error("date_to") == "申込日（To）は申込日（From）以降の日付を入力してください"
    page = portal.go(
        "status.search",
        {"date_from": "2024-01-01", "date_to": "2026-04-01", "statuses": ["draft"], "order": "new", "number": "X123"},
    )
    assert page.field_error("date_to") == "申込日の期間は1年以内で指定してください"
    assert page.field_error("number") == "Web申込番号は「W」と14桁の数字で入力してください"
    assert page.one("#number")["value"] == "X123"
    page = portal.go("status.search", {"date_from": "", "date_to": "2026-04-01", "order": "new"})
    assert page.field_error("date_from") == "申込日（From）を入力してください"
    assert page.field_error("statuses") == "状況を選択してください"


def test_a_search_with_htmx_replaces_the_list_alone_or_the_screen_to_show_its_errors(portal):
    portal.login()
    assert portal.go("status.index").one("form.search-form")["data-hx-target"] == "#application-list"
    today = now().date()
    criteria = {
        "date_from": (today - timedelta(days=90)).isoformat(),
        "date_to": today.isoformat(),
        "statuses": ["returned"],
        "order": "new",
    }
    found = portal.go("status.search", criteria, htmx=True, headers={"HX-Target": "application-list"})
    assert found.is_fragment and not found.select("form.search-form") and found.select("#application-list")
    assert "HX-Retarget" not in found.response.headers
    assert set(found.texts("#application-list .tag--status")) == {"差戻し"}
    wrong = portal.go(
        "status.search",
        {**criteria, "date_from": (today + timedelta(days=1)).isoformat()},
        htmx=True,
        headers={"HX-Target": "application-list"},
    )
    assert wrong.response.headers["HX-Retarget"] == "#screen"
    assert wrong.field_error("date_to") == "申込日（To）は申込日（From）以降の日付を入力してください"
    assert wrong.one("#date_from")["value"] == (today + timedelta(days=1)).isoformat()


def test_only_an_admin_searches_by_applicant(portal, other_portal):
    other_portal.login("demo-admin")
    assert other_portal.go("status.index").select("#applicant")
    portal.login("demo-user")  # the same criteria as the 管理者's: the form is still a 一般 user's
    page = portal.go("status.index")
    assert not page.select("#applicant")


_STATUS_ORDER = [status.value for status in Status]  # the order of the form's checkboxes


def _form_values(page) -> dict:
    chosen = page.select("#procedure option[selected]")  # none: the first, すべて
    return {
        "date_from": page.one("#date_from")["value"],
        "procedure": chosen[0]["value"] if chosen else "",
        "statuses": [box["value"] for box in page.select("input[name=statuses][checked]")],
        "order": page.one("#order option[selected]")["value"],
    }


def test_the_search_form_shows_the_criteria_of_each_search(portal):
    # Rendered once per set of criteria: each search still shows its own, and errors are not kept.
    portal.login("demo-admin")
    today = now().astimezone(JST).date()
    first = {
        "date_from": (today - timedelta(days=30)).isoformat(),
        "date_to": today.isoformat(),
        "procedure": "B02",
        "statuses": ["returned", "submitted"],
        "order": "old",
    }
    second = {**first, "date_from": (today - timedelta(days=60)).isoformat(), "procedure": "", "order": "new"}
    second["statuses"] = ["completed"]
    for criteria in (first, second, first):
        page = portal.go("status.search", criteria)
        shown = {name: criteria[name] for name in _form_values(page)}
        assert _form_values(page) == shown | {"statuses": sorted(criteria["statuses"], key=_STATUS_ORDER.index)}
        assert not page.select(".error-message")
    wrong = portal.go("status.search", {**first, "date_to": (today - timedelta(days=40)).isoformat()})
    assert wrong.field_error("date_to") == "申込日（To）は申込日（From）以降の日付を入力してください"
    again = portal.go("status.search", first)
    assert not again.select(".error-message") and _form_values(again)["date_from"] == first["date_from"]


def test_the_list_pages_twenty_at_a_time_in_place_with_htmx(app, portal):
    with app.app_context():
        template = (
            db.session()
            .exec(select(Application).where(Application.status == Status.SUBMITTED, Application.customer_id == 1))
            .first()
        )
        for n in range(44):
            db.session().add(
                Application(
                    **{
                        **template.model_dump(exclude={"id", "number"}),
                        "number": f"W20990101{n:06d}",
                        "updated_at": template.updated_at - timedelta(minutes=n),
                    }
                )
            )
        db.session().commit()
    portal.login()
    first = portal.go("status.index")
    assert len(listed(first)) == 20 and "（1/3ページ）" in first.text(".result-count")
    fragment = portal.go("status.page", {"page": "3"}, htmx=True, headers={"HX-Target": "application-list"})
    assert fragment.is_fragment and not fragment.select("h1")
    assert "（3/3ページ）" in fragment.text(".result-count")
    total = int(first.text(".result-count").split("件中")[0])
    assert len(listed(fragment)) == total - 40 and set(listed(fragment)).isdisjoint(listed(first))
    # a page past the end (the list got shorter meanwhile, or a forged number) shows the last one
    past = portal.go("status.page", {"page": "9"}, htmx=True, headers={"HX-Target": "application-list"})
    assert "（3/3ページ）" in past.text(".result-count") and listed(past) == listed(fragment)
    assert listed(portal.go("status.page", {"page": "0"})) == listed(first)


def test_the_csv_has_a_bom_and_defuses_formulas(app, portal):
    with app.app_context():
        application = (
            db.session()
            .exec(select(Application).where(Application.status == Status.SUBMITTED, Application.customer_id == 1))
            .first()
        )
        application.target = '=HYPERLINK("http://evil")'
        db.session().add(application)
        db.session().commit()
    portal.login()
    portal.go("status.index")
    response = portal.client.post("/status/csv", data={"csrf_token": portal.csrf, "_nav": portal.token})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Web申込番号", "手続種別", "対象"]
    assert '\'=HYPERLINK("http://evil")' in [row[2] for row in rows]
    assert portal.go("home.notices").h1 == "掲載中のお知らせ一覧"  # the download did not use up the token


def test_a_download_with_a_stale_token_is_refused(portal):
    portal.login()
    old = portal.token
    portal.go("status.index")
    response = portal.client.post("/status/csv", data={"csrf_token": portal.csrf, "_nav": old})
    assert response.status_code == 303


def test_the_user_page_shows_the_five_latest_and_the_returned_count(app, portal):
    page = portal.login("demo-user")
    assert len(page.select(".status-list__item")) <= 5
    assert "差戻しされた申込みが 1件 あります" in page.text(".returned-count")
    admin = portal.login("demo-admin")
    assert len(admin.select(".status-list__item")) == 5
    with app.app_context():
        latest = (
            db.session()
            .exec(
                select(Application.number)
                .where(Application.customer_id == 1)
                .order_by(Application.updated_at.desc(), Application.number.desc())
                .limit(5)
            )
            .all()
        )
    returned = len(numbers(app, customer_id=1, status=Status.RETURNED))
    assert [b["value"] for b in admin.select(".status-list button")] == latest
    assert f"差戻しされた申込みが {returned}件 あります" in admin.text(".returned-count")


def test_a_new_application_appears_at_the_top(both):
    both.login()
    number = walk(both, "buyers.register", b01()).text(".panel .number")
    assert listed(both.go("status.index"))[0] == number


def test_the_count_is_bounded_and_says_so(app, portal, monkeypatch):
    from nexi.blueprints.status import queries

    monkeypatch.setattr(queries, "COUNT_LIMIT", 5)
    portal.login("demo-admin")
    page = portal.go("status.index")
    assert page.text(".result-count").startswith("5件以上中 1〜5件を表示（1/1ページ）")
    assert "条件を絞り込んでください" in page.text("#application-list .hint")


def test_criteria_kept_as_typed_by_an_older_version_give_the_default_list(app, portal):
    # Before the criteria were kept normalised, a date could be kept as typed (2026/4/5).
    portal.login("demo-admin")
    default = listed(portal.go("status.index"))
    with app.app_context():
        session = db.session().exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()
        args = dict(session.screen_args)
        session.screen_args = args | {"criteria": args["criteria"] | {"date_from": "2026/4/5"}}
        db.session().commit()
    page = portal.go("status.page", {"page": "1"})
    assert page.status == 200 and listed(page) == default
