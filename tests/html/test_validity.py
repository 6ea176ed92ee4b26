"""Every page the portal serves is valid HTML (W3C Nu HTML checker, npm vnu-jar)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def collect_pages(portal, other_portal) -> dict[str, str]:
    """A whole page of each screen and state worth checking."""
    pages = {
        "login": portal.get("/login"),
        "login-error": portal.login("demo-admin", "wrong"),
        "login-empty": portal.login("", ""),
        "manual": portal.get("/guide/manual"),
        "help": portal.get("/guide/help"),
        "help-topic": portal.get("/guide/help/auth.login"),
        "contact": portal.get("/guide/contact"),
        "not-found": portal.get("/no-such-page", expect=404),
    }
    for _ in range(5):
        pages["locked"] = other_portal.login("demo-user", "wrong")
    pages["otp"] = other_portal.login("demo-otp")
    pages["otp-error"] = other_portal.post("/login/otp", {"code": "12"})
    pages["home"] = portal.login("demo-admin")
    pages["notices"] = portal.go("home.notices")
    pages["notices-2"] = portal.go("home.notices", {"page": "2"})
    pages["notice"] = portal.go("home.notice_detail", {"notice": pages["notices"].select("tbody button")[0]["value"]})
    pages["estimate"] = portal.go("estimate.index")
    pages["inquiry"] = portal.go("inquiry.index")
    pages["refreshed"] = portal.get("/")
    pages.update(procedure_pages(portal))
    pages.update(recipe_pages(portal))  # in demo-admin's login; before staff_pages resets a reviewer's TOTP
    pages["logged-out"] = portal.post("/logout", {})
    pages.update(review_pages(portal.app))  # before staff_pages, which resets a reviewer's TOTP
    pages.update(staff_pages(portal.app))
    return {name: page.html for name, page in pages.items()}


def recipe_pages(portal) -> dict:
    """Every screen with a statement-budget recipe (tests/support/recipes, the budget test),
    rendered from its recipe's state on the demo data, so that a new screen is checked as soon as
    it has its recipe. The procedure screens (no recipe arguments) are walked in procedure_pages."""
    from tests.http.test_statement_budget import RECIPES
    from tests.support.staff import StaffPortal

    app, staff = portal.app, {}
    pages = {}
    for screen, recipe in sorted(RECIPES.items()):
        if recipe.args is None:
            continue
        viewer = portal
        if screen.startswith("staff."):  # in a staff login (S.1), one per staff member
            if recipe.staff not in staff:
                staff[recipe.staff] = StaffPortal(app, app.test_client())
                staff[recipe.staff].login(recipe.staff)
            viewer = staff[recipe.staff]
        page = viewer.show(screen, recipe.args(app))
        assert viewer.state()["screen"] == screen, f"{screen} fell back to {viewer.state()['screen']}"
        pages[f"screen-{screen}"] = page
    return pages


def review_pages(app) -> dict:
    """The review queue's screens (S.2), on a B01 a customer has just submitted."""
    from tests.support.portal import Portal
    from tests.support.procedures import b01, submit
    from tests.support.staff import StaffPortal

    customer, staff = Portal(app, app.test_client()), StaffPortal(app, app.test_client())
    customer.login("demo-admin")
    number = submit(customer, "buyers.register", b01())
    staff.login("demo-reviewer")
    pages = {"review-queue": staff.go("staff.queue")}
    pages["review-queue-errors"] = staff.go("staff.queue_search", {"customer": "x"})
    detail = staff.go("staff.detail", {"number": number})
    pages["review-detail-memo-errors"] = staff.go("staff.memo", {"body": ""})
    staff.go("staff.decide", {"decision": "accept", "version": detail.one("input[name=version]")["value"]})
    version = staff.go("staff.detail", {"number": number}).one("input[name=version]")["value"]
    pages["review-complete"] = staff.go("staff.decide", {"decision": "complete", "version": version})
    pages["review-complete-errors"] = staff.go("staff.decide_submit", {"action": "submit", "rating": "EA"})
    staff.go("staff.detail", {"number": number})
    pages["review-return"] = staff.go("staff.decide", {"decision": "return", "version": version})
    pages["review-detail"] = staff.go(
        "staff.decide_submit", {"action": "submit", "comment": "確認してください。", "memo": "社内"}
    )
    return pages


def staff_pages(app) -> dict:
    """The staff area's screens (S.1), in a 管理担当's login."""
    from sqlmodel import col, update

    from nexi import db
    from nexi.models import StaffUser
    from tests.support.staff import StaffPortal

    staff, other = StaffPortal(app, app.test_client()), StaffPortal(app, app.test_client())
    pages = {"staff-login": staff.get("/staff/login"), "staff-login-error": staff.password_step("demo-manager", "x")}
    with app.app_context():
        db.session().exec(update(StaffUser).where(col(StaffUser.login_id) == "demo-reviewer").values(otp_secret=None))
        db.session().commit()
    pages["staff-otp-enrol"] = other.password_step("demo-reviewer")
    pages["staff-otp"] = staff.password_step("demo-manager")
    pages["staff-otp-error"] = staff.otp_step("12")
    pages["staff-home"] = staff.login("demo-manager")
    pages["staff-password"] = staff.go("staff.password")
    pages["staff-password-errors"] = staff.go("staff.password_submit", {"new_password": "x"})
    pages["staff-accounts"] = staff.go("staff.accounts")
    pages["staff-add-errors"] = staff.go("staff.account_add_check", {"login_id": "x"})
    values = {"login_id": "kato-yui", "name": "加藤 結衣", "roles": ["審査担当"]}
    pages["staff-add-confirm"] = staff.go("staff.account_add_check", values)
    pages["staff-added"] = staff.go("staff.account_add_submit", {"action": "submit"})
    reviewer = pages["staff-accounts"].select("button[name=staff]")[1]["value"]
    pages["staff-account"] = staff.go("staff.account", {"staff": reviewer})
    pages["staff-confirm"] = staff.go("staff.account_action", {"action": "password"})
    pages["staff-reset-done"] = staff.go("staff.account_apply", {"action": "apply"})
    for _ in range(5):
        pages["staff-locked"] = other.password_step("demo-manager", "wrong")
    return pages


def procedure_pages(portal) -> dict:
    from tests.support.files import pdf, upload
    from tests.support.procedures import b01

    answers = b01(buyer={"name_en": "ACME INDUSTRIAL SUPPLY INC", "country": "224"})
    pages = {"intro": portal.go("buyers.register")}
    pages["step-1-errors"] = portal.go("procedure.intro", {"action": "next"})
    pages["step-1-errors"] = portal.go("procedure.input_submit", {"action": "next", "url": "ftp://x"})
    portal.go("procedure.input_submit", {"action": "next", **answers["buyer"]})
    pages["step-2-branch"] = portal.go("procedure.input_submit", {"action": "next", "office_type": "branch"})
    portal.go("procedure.input_submit", {"action": "next", **answers["company"]})
    pages["step-upload"] = portal.go(
        "procedure.input_submit",
        {"action": "next", "report_mode": "attach", "report_files": [upload(pdf(), "report.pdf")]},
    )
    portal.go("procedure.input_submit", {"action": "next", **answers["report"]})
    pages["confirm-warnings"] = portal.go("procedure.input_submit", {"action": "next", **answers["plan"]})
    pages["confirm-ack-error"] = portal.go("procedure.confirm_submit", {"action": "submit"})
    pages["complete"] = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    pages["status"] = portal.go("status.index")
    pages["status-errors"] = portal.go("status.search", {"date_from": "x", "number": "y", "order": "new"})
    number = pages["status"].select("#application-list tbody button")[0]["value"]
    pages["detail"] = portal.go("status.detail", {"number": number})
    pages["detail-withdraw"] = portal.go("status.withdraw", {"number": number})
    drafts = [
        b["value"]
        for b in pages["status"].select("#application-list tbody button")
        if "一時保存" in b.find_parent("tr").get_text()
    ]
    pages["detail-delete"] = portal.go("status.delete", {"number": drafts[0]})
    return pages


def run_vnu(folder: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail("the HTML checker needs Java and node_modules/vnu-jar (make test installs both)")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def test_every_screen_is_valid_html(portal, other_portal, tmp_path):
    for name, html in collect_pages(portal, other_portal).items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    errors = run_vnu(tmp_path)
    found = [f"{Path(e['url']).name}:{e.get('lastLine')}: {e['message']}" for e in errors]
    assert not found, "\n".join(found[:40])
