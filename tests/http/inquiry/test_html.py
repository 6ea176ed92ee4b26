"""Every screen of 各種情報照会 in each state worth checking is valid HTML (the W3C checker, as
tests/html does for the portal): the list, 5-1 empty, refused, with results (capped, a deleted
buyer), its details, 5-5 with a previous category, its detail with the history."""

from datetime import date
from pathlib import Path

from tests.html.test_validity import run_vnu
from tests.http.inquiry.helpers import EMPTY, add_buyers, search
from tests.http.inquiry.test_countries import add_version


def test_every_inquiry_screen_is_valid_html(app, portal, tmp_path):
    add_buyers(app, [{"code": f"999-{n:06d}", "name_en": f"CAPTEST {n:03d} LTD"} for n in range(1, 202)])
    add_version(app, "310", date(2010, 4, 1), category="H")
    portal.login("demo-user")
    pages = {"index": portal.go("inquiry.index"), "buyers": portal.go("inquiry.buyers")}
    pages["buyers-refused"] = portal.go("inquiry.buyer_search", EMPTY | {"name": "x"})
    pages["buyers-none"] = portal.go("inquiry.buyer_search", EMPTY)
    pages["buyers-capped"] = search(portal, name="captest")
    pages["buyers-ltd"] = search(portal, name="ltd")
    pages["buyer"] = portal.go("inquiry.buyer", {"buyer": "112-000502"})
    pages["buyers-deleted"] = search(portal, code="224-000001")
    pages["buyer-deleted"] = portal.go("inquiry.buyer", {"buyer": "224-000001"})
    pages["buyers-sleeping"] = search(portal, code="601-000901")
    pages["buyer-sleeping"] = portal.go("inquiry.buyer", {"buyer": "601-000901"})
    portal.go("inquiry.index")
    pages["countries"] = portal.go("inquiry.countries")
    pages["country"] = portal.go("inquiry.country", {"country": "310"})
    pages["country-conditional"] = portal.go("inquiry.country", {"country": "124"})
    for name, page in pages.items():
        assert not page.is_fragment, name
        (Path(tmp_path) / f"{name}.html").write_text(page.html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    assert not errors, [(Path(e["url"]).name, e.get("lastLine"), e["message"]) for e in errors][:40]
