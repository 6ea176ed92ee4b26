"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against the app
served on 127.0.0.1 from a thread. Each test runs with JavaScript on and off where it matters."""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def live_server(base_app):
    server = make_server("127.0.0.1", 0, base_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(params=["js", "nojs"])
def js(request):
    return request.param == "js"


@pytest.fixture
def ui(app, browser, live_server, js):
    """A fresh browser window on the portal, with JavaScript on or off."""
    context = browser.new_context(
        base_url=live_server, java_script_enabled=js, locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.js = js
    page.console_errors = errors
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.fixture
def ui_js(app, browser, live_server):
    context = browser.new_context(base_url=live_server, locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.js = True
    yield page
    context.close()


def text(locator) -> str:
    return " ".join(locator.inner_text().split())


# htmx marks what it is requesting, swapping and settling; htmx:load (where app.js enhances the new
# content) fires only after the settle, so a heading already swapped in is not yet the finished screen.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def settled(page) -> None:
    """Wait until htmx has finished with the screen (nothing to wait for with JavaScript off)."""
    page.wait_for_selector(HTMX_BUSY, state="detached")


def click_to(page, selector: str, h1: str) -> None:
    """Click, then wait for the screen whose heading is `h1` (a new page, or #screen swapped and settled)."""
    page.click(selector)
    page.wait_for_selector(f"h1:text-is('{h1}')")
    settled(page)


@pytest.fixture(scope="session")
def axe_page(browser, live_server):
    """A JavaScript-enabled page that audits copies of pages shown with JavaScript off (axe needs
    JavaScript to run; the markup is the same)."""
    context = browser.new_context(base_url=live_server, locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/guide/help")
    yield page
    context.close()


@pytest.fixture
def check_accessibility(axe_page):
    """Run axe-core on what the page shows now; fail on serious or critical violations."""
    source = AXE.read_text(encoding="utf-8")

    def check(page):
        target = page
        if not page.js:
            axe_page.set_content(page.content())
            target = axe_page
        # Injected through the DevTools protocol (not a <script> tag): the page's CSP is untouched.
        target.evaluate(source)
        results = target.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]

    return check


def login(page, login_id="demo-admin", password="DemoPass#2026"):
    page.goto("/login")
    page.fill("#login_id", login_id)
    page.fill("#password", password)
    page.click("button:text-is('ログイン')")
    page.wait_for_load_state()


def staff_window(browser, live_server, js, app, login_id):
    """A staff member's own browser context, logged in to the console (password, then TOTP):
    (context, page). The caller closes the context."""
    from tests.support.staff import SECRETS, code, forget_last_step

    context = browser.new_context(
        base_url=live_server, java_script_enabled=js, locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.js = js
    forget_last_step(app, login_id)
    page.goto("/staff/login")
    page.fill("#login_id", login_id)
    page.fill("#password", "DemoPass#2026")
    page.click("button:text-is('ログイン')")
    page.wait_for_selector("h1:text-is('ワンタイムパスワード入力')")
    page.fill("#code", code(SECRETS[login_id]))
    page.click("button:text-is('認証')")
    page.wait_for_selector("h1:text-is('職員コンソール')")
    return context, page
