"""One screen, two transports (DESIGN.md): whole pages without JavaScript, fragments with htmx."""


def test_a_plain_post_redirects_to_the_apps_one_address(portal):
    portal.login()
    response = portal.client.post("/notices", data={"csrf_token": portal.csrf, "_nav": portal.token})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = portal.get("/")
    assert page.h1 == "掲載中のお知らせ一覧" and not page.messages


def test_an_htmx_post_gets_the_screen_fragment_and_the_out_of_band_trio(portal):
    portal.login()
    page = portal.go("home.notices", htmx=True)
    assert page.is_fragment
    assert "<html" not in page.html.lower()
    assert page.one("h1").get_text() == "掲載中のお知らせ一覧"
    assert page.title == "掲載中のお知らせ一覧 | NEXI Webサービス"
    assert page.one("#nav-token")["data-hx-swap-oob"] == "true"
    assert page.one("#messages")["data-hx-swap-oob"] == "true"
    assert not page.select(".site-header")
    assert "HX-Request" in page.response.headers["Vary"]


def test_a_history_restore_request_gets_the_whole_page(portal):
    portal.login()
    portal.go("home.notices", htmx=True)
    page = portal.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert not page.is_fragment
    assert page.select(".site-header")


def test_changing_layout_pattern_widens_the_swap_to_the_whole_page(portal):
    portal.login()
    page = portal.go("estimate.index", htmx=True)
    assert page.response.headers["HX-Retarget"] == "body"
    assert page.one(".site-header button.button--logout").get_text() == "終了"
    back = portal.go("home.home", htmx=True)
    assert back.response.headers["HX-Retarget"] == "body"
    same = portal.go("home.notices", htmx=True)
    assert "HX-Retarget" not in same.response.headers


def test_every_response_varies_on_hx_request(portal):
    portal.login()
    assert "HX-Request" in portal.client.get("/").headers["Vary"]


def test_focus_goes_to_the_heading_of_the_new_screen(portal):
    portal.login()
    page = portal.go("home.notices", htmx=True)
    assert page.one("h1").has_attr("autofocus")


def test_forms_in_a_fragment_leave_the_tokens_to_htmx_and_whole_pages_carry_them(portal):
    portal.login()
    fragment = portal.go("status.index", htmx=True)
    submitted_by_htmx = fragment.select("form[data-hx-post]")
    assert submitted_by_htmx and not any(form.select("input[type=hidden]") for form in submitted_by_htmx)
    # a download is a plain submit, even in a fragment: it needs both
    download = fragment.one("form[action='/status/csv']")
    assert download.select("input[name=csrf_token]") and download.select("input[name=_nav]")
    # what htmx sends instead: the body's header (whole page) and the live token (every answer)
    assert fragment.one("#nav-token")["value"] == portal.token
    page = portal.get("/")
    assert page.csrf_token == portal.csrf
    for form in page.select("form[data-hx-post]"):
        assert form.select("input[name=csrf_token]") and form.select("input[name=_nav]")
