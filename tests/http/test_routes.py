"""The app's surface, reviewed: adding or removing a URL changes tests/http/routes.json, and every
GET route must be one the navigation guard allows (DESIGN.md: login, the app's one address,
read-only pages, static files)."""

import json
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("routes.json")

# GET is open only for these (everything else is a POST that carries the navigation token).
OPEN_GET = {
    "auth.login",
    "auth.otp",
    "auth.locked",
    "auth.logged_out",
    "home.current",
    "guide.manual",
    "guide.help_index",
    "guide.help_topic",
    "guide.contact",
    "static",
    "staff.login",  # S.1: the staff login (each of its steps) and the staff area's one address
    "staff.current",
}
UNGUARDED_POST = {
    "auth.login_submit",
    "auth.otp_submit",
    "auth.logout",
    "staff.login_submit",
    "staff.otp_submit",
    "staff.logout",
}


def routes(app):
    return sorted(
        (
            {"rule": rule.rule, "endpoint": rule.endpoint, "methods": sorted(rule.methods - {"HEAD", "OPTIONS"})}
            for rule in app.url_map.iter_rules()
        ),
        key=lambda route: (route["rule"], route["endpoint"]),
    )


def test_the_routes_match_the_reviewed_snapshot(app):
    current = routes(app)
    if not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8")), (
        "the routes changed: review the change and update tests/http/routes.json"
    )


def test_every_get_route_is_one_the_guard_allows(app):
    for route in routes(app):
        if "GET" in route["methods"]:
            assert route["endpoint"] in OPEN_GET, f"{route['rule']} answers GET"


def test_every_other_post_route_is_guarded(app):
    for route in routes(app):
        if "POST" in route["methods"] and route["endpoint"] not in UNGUARDED_POST:
            view = app.view_functions[route["endpoint"]]
            assert getattr(view, "guarded", False), f"{route['endpoint']} is not guarded"
