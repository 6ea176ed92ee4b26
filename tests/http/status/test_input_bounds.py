"""Input at the edges of what a column and the date arithmetic hold (issue 13): dates outside
1900-01-01 … 2099-12-31, huge page numbers and ids, files sent for text fields. Each is a message
at the field or the nearest page, never a 500, and the session keeps working afterwards."""

import io
from datetime import timedelta

import pytest
from sqlmodel import select

from nexi import db
from nexi.clock import now
from nexi.models import Application, LoginSession, Status

HUGE = "9" * 25  # beyond any 64-bit column
OUT_OF_RANGE = "は1900年1月1日から2099年12月31日までの日付で入力してください"


def search(portal, **criteria):
    return portal.go("status.search", {"statuses": ["draft", "submitted"], "order": "new", **criteria})


def listed(page) -> list[str]:
    return [button["value"] for button in page.select("#application-list tbody button")]


def still_works(portal):
    """The session was not bricked: the app's address, a fresh screen and the list answer."""
    assert portal.get("/").status == 200
    assert portal.go("status.index").h1 == "Web申込状況一覧"


@pytest.mark.parametrize(
    ("date_from", "date_to", "errors"),
    [
        ("9998-12-31", "9999-12-31", {"date_from": "申込日（From）", "date_to": "申込日（To）"}),
        ("0001-01-01", "0001-01-02", {"date_from": "申込日（From）", "date_to": "申込日（To）"}),
        ("9999-01-01", "9999-06-01", {"date_from": "申込日（From）", "date_to": "申込日（To）"}),
        ("1899-12-31", "1900-06-30", {"date_from": "申込日（From）"}),
        ("2099-06-01", "2100-01-01", {"date_to": "申込日（To）"}),
    ],
)
def test_a_date_outside_the_window_is_refused_at_the_field_and_kept_as_typed(both, date_from, date_to, errors):
    both.login()
    page = search(both, date_from=date_from, date_to=date_to)
    assert page.status == 200
    for name, thing in errors.items():
        assert page.field_error(name) == thing + OUT_OF_RANGE
    assert page.one("#date_from")["value"] == date_from and page.one("#date_to")["value"] == date_to
    still_works(both)


def test_the_first_and_last_days_of_the_window_are_accepted(portal):
    portal.login()
    page = search(portal, date_from="2099-01-01", date_to="2099-12-31")
    assert page.status == 200 and not page.select(".error-summary") and listed(page) == []
    page = search(portal, date_from="1900-01-01", date_to="1900-12-31")
    assert page.status == 200 and not page.select(".error-summary") and listed(page) == []


def test_a_kept_search_with_a_date_outside_the_window_gives_the_default_list(app, portal):
    # A search kept before dates were bounded would overflow the query at every later page.
    portal.login("demo-admin")
    default = listed(portal.go("status.index"))
    with app.app_context():
        session = db.session().exec(select(LoginSession).where(LoginSession.ended_at.is_(None))).one()
        args = dict(session.screen_args)
        session.screen_args = args | {"criteria": args["criteria"] | {"date_to": "9999-12-31"}}
        db.session().commit()
    page = portal.go("status.page", {"page": "1"})
    assert page.status == 200 and listed(page) == default


def _add_applications(app, count: int) -> None:
    with app.app_context():
        template = (
            db.session()
            .exec(select(Application).where(Application.status == Status.SUBMITTED, Application.customer_id == 1))
            .first()
        )
        for n in range(count):
            fields = template.model_dump(exclude={"id", "number", "updated_at"})
            updated_at = template.updated_at - timedelta(minutes=n)
            db.session().add(Application(**fields, number=f"W20990102{n:06d}", updated_at=updated_at))
        db.session().commit()


@pytest.mark.parametrize("number", [HUGE, str(2**62), str(2**63)])
def test_a_huge_page_number_shows_the_last_page(app, both, number):
    _add_applications(app, 24)
    both.login()
    first = both.go("status.index")
    assert "（1/2ページ）" in first.text(".result-count")
    last = both.go("status.page", {"page": "2"}, headers={"HX-Target": "application-list"})
    page = both.go("status.page", {"page": number}, headers={"HX-Target": "application-list"})
    assert page.status == 200 and "（2/2ページ）" in page.text(".result-count")
    assert listed(page) == listed(last)
    still_works(both)


def test_a_huge_attachment_id_finds_nothing(app, portal):
    portal.login("demo-user")
    returned = search(
        portal,
        date_from=(now() - timedelta(days=90)).date().isoformat(),
        date_to=now().date().isoformat(),
        statuses=["returned"],
    )
    number = listed(returned)[0]
    portal.go("status.detail", {"number": number})
    for attachment in (HUGE, str(2**63), "-" + HUGE, "abc"):
        response = portal.client.post(
            "/status/attachment",
            data={"csrf_token": portal.csrf, "_nav": portal.token, "number": number, "attachment": attachment},
        )
        assert response.status_code == 404
        assert "指定されたファイルは見つかりません" in response.get_data(as_text=True)
    still_works(portal)


def test_a_huge_notice_id_on_the_user_page_says_the_notice_is_gone(portal):
    portal.login()
    portal.go("home.notices")
    page = portal.go("home.notice_detail", {"notice": HUGE, "back_page": HUGE})
    assert page.status == 200 and page.h1 == "掲載中のお知らせ一覧"
    assert "指定されたお知らせは、掲載期間が終了したか存在しません。" in page.messages
    still_works(portal)


def test_a_file_sent_for_a_text_field_is_no_text(both):
    both.login()
    today = now().date()
    page = both.go(
        "status.search",
        {
            "date_from": (io.BytesIO(b"2026-01-01"), "from.txt"),
            "date_to": today.isoformat(),
            "number": (io.BytesIO(b"W20260101000001"), "number.txt"),
            "statuses": ["draft"],
            "order": "new",
        },
    )
    assert page.status == 200
    assert page.field_error("date_from") == "申込日（From）を入力してください"  # a file is no text
    assert page.one("#date_from")["value"] == "" and page.one("#number")["value"] == ""
    assert page.one("#date_to")["value"] == today.isoformat()
    still_works(both)
