"""E01 電子申請 in a browser, JavaScript on and off (DOMAIN.md 12-1, S.3): a customer files a 保険金請求書
with two PDFs through 申込む — with JavaScript a <progress> bar follows the upload (wired to htmx's
upload progress events; not timed) — and NEXI staff 受理 it, linked to the policy it names."""

from sqlmodel import col, select

from nexi import db
from nexi.models import Customer, Policy
from tests.browser.conftest import login, staff_window, text
from tests.browser.test_ia1 import complete, primary, submit
from tests.browser.test_procedures import click_to
from tests.support.files import pdf

E01 = "電子申請"
DECLARATION = "アップロードした書類は代表者印を押印した原本と同一の内容です"

# Records, on each upload progress event, what the bar shows (after the portal's own handler,
# which was added to the document first).
RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  document.addEventListener("htmx:xhr:progress", () => {
    const box = document.querySelector(".upload-progress");
    if (box) { window.progressSeen.push([box.hidden, box.querySelector("progress").value]); }
  });
}"""


def demo_policy(app) -> str:
    with app.app_context():
        return (
            db.session()
            .exec(
                select(Policy.number)
                .join(Customer, col(Customer.id) == Policy.customer_id)
                .where(Customer.code == "123456789")
            )
            .first()
        )


def file(name: str, content: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf(text=content)}


def test_a_claim_with_two_pdfs_is_filed_and_accepted_by_nexi(app, ui, browser, live_server, js, check_accessibility):
    policy = demo_policy(app)
    login(ui)
    click_to(ui, f"#area-eapply button:text-is('{E01}')", f"{E01}（手続きの流れ）")
    click_to(ui, "button:text-is('入力を始める')", f"{E01}（申請内容）")
    if js:  # the bar is there, waiting; the 証券番号 shows once a kind that needs it is chosen
        assert ui.locator("form.step-form progress").count() == 1
        assert ui.locator(".upload-progress").is_hidden()
        assert ui.locator("#policy_number").is_hidden()
        ui.evaluate(RECORD_PROGRESS)
    else:  # the plain form: every question shown, no script-made bar
        assert ui.locator("progress").count() == 0
        assert ui.locator("#policy_number").is_visible() and ui.locator("#buyer_code").is_visible()
    ui.select_option("#kind", "claim")
    ui.fill("#policy_number", policy)
    if js:
        assert ui.locator("#buyer_code").is_hidden()
    ui.fill("#subject", "保険金請求書の提出")
    ui.fill("#body", "請求書と船積書類の写しを添付します。")
    ui.set_input_files("#documents", files=[file("保険金請求書.pdf", "claim"), file("船積書類.pdf", "shipping")])
    ui.get_by_label(DECLARATION).check()
    check_accessibility(ui)
    primary(ui, f"{E01}（申込内容確認）")
    shown = text(ui.locator("#screen"))
    assert "保険金請求書.pdf、船積書類.pdf" in shown and policy in shown
    if js:
        seen = ui.evaluate("() => window.progressSeen")
        assert any(not hidden and value > 0 for hidden, value in seen), seen
    number = submit(ui, E01)

    context, staff = staff_window(browser, live_server, js, app, "demo-reviewer")
    try:
        first = complete(staff, number)  # the link proposed from the 証券番号 the customer named
        assert first == "NEXIが受理しました"
        assert policy in text(staff.locator("#result-title + dl"))
    finally:
        context.close()
