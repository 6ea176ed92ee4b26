"""Attachments in procedures follow the file rules of §12: PDF by content and name, ≤ 10 MB each,
≤ 5 per application, no duplicates, no active content; they are kept with the draft and can be
downloaded. (The rules themselves are tested in tests/unit/test_attachments.py.)"""

from sqlmodel import select

from nexi import db
from nexi.models import Attachment
from tests.support.files import active_pdf, pdf, upload
from tests.support.procedures import b01, walk

REPORT = {"report_mode": "attach", "issuer": "Dun & Bradstreet", "language": "en", "fee_ack": ""}


def to_report_step(portal):
    from datetime import timedelta

    from nexi.clock import today

    answers = b01(report={**REPORT, "report_date": (today() - timedelta(days=30)).isoformat()})
    walk(portal, "buyers.register", {k: v for k, v in answers.items() if k in ("buyer", "company")})
    return answers["report"]


def send(portal, report, *files, action="next", proof=()):
    data = {"action": action, **report}
    if files:
        data["report_files"] = list(files)
    if proof:  # 証明書類, asked on the same step for 名簿区分 G and S
        data["proof_files"] = list(proof)
    return portal.go("procedure.input_submit", data)


def stored(app) -> list[Attachment]:
    with app.app_context():
        return db.session().exec(select(Attachment)).all()


def test_a_pdf_is_accepted_listed_and_kept_with_the_draft(app, both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(pdf(), "report.pdf"), action="back")
    page = both.go("procedure.input_submit", {"action": "next", **b01()["company"]})
    assert "report.pdf" in page.text(".attachments")
    page = send(both, report)
    page = both.go("procedure.input_submit", {"action": "next", **b01()["plan"]})
    rows = dict(zip(page.texts(".summary-group dt"), page.texts(".summary-group dd"), strict=True))
    assert rows["信用調査報告書のファイル"] == "report.pdf"
    number = page.text(".panel .number")
    with app.app_context():
        [attachment] = db.session().exec(select(Attachment)).all()
        assert attachment.application_id is not None and attachment.filename == "report.pdf"
    detail = both.go("status.detail", {"number": number})
    assert "report.pdf" in detail.screen_text


def test_a_file_that_is_not_a_pdf_is_refused_with_its_name(both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(b"hello", "memo.txt"))
    assert (
        page.field_error("report_files")
        == "「memo.txt」はPDFファイルではありません。拡張子が .pdf のファイルを添付してください"
    )
    page = send(both, report, upload(b"not really a pdf", "fake.pdf"))
    assert "PDFファイルとして読み込めません" in page.field_error("report_files")


def test_an_encrypted_pdf_is_refused(both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(pdf(password="secret"), "locked.pdf"))
    assert "パスワードで保護されています" in page.field_error("report_files")


def test_too_large_files_are_refused(app, both, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_UPLOAD_MAX_BYTES", 1024)
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(pdf(text="x" * 4000), "big.pdf"))
    assert "を超えています" in page.field_error("report_files")


def test_the_same_file_twice_and_more_than_five_files_are_refused(both):
    both.login()
    report = to_report_step(both)
    same = pdf(text="same")
    page = send(both, report, upload(same, "a.pdf"), upload(same, "b.pdf"))
    assert "同じ内容のファイルがすでに添付されています" in page.field_error("report_files")
    page = send(both, report, *[upload(pdf(text=str(n)), f"{n}.pdf") for n in range(6)])
    assert page.field_error("report_files") == "添付できるファイルは5個までです"
    assert len(page.select(".attachments li")) == 5


def test_active_content_and_polyglots_are_refused_with_their_names(app, both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(active_pdf("document_javascript"), "script.pdf"))
    assert (
        page.field_error("report_files")
        == "「script.pdf」にはJavaScript等の実行可能な内容や埋め込みファイルが含まれているため添付できません"
    )
    page = send(both, report, upload(b"<html><script>alert(1)</script>\n" + pdf(), "page.pdf"))
    assert "「page.pdf」にはPDF以外の内容（HTMLなど）が含まれている" in page.field_error("report_files")
    assert stored(app) == []


def test_the_stored_name_has_no_bidi_or_control_characters(app, both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(pdf(), "\u202e報告\u200f書\x7f.pdf"), action="back")
    page = both.go("procedure.input_submit", {"action": "next", **b01()["company"]})
    assert page.text(".attachments li").startswith("報告書.pdf")
    assert [a.filename for a in stored(app)] == ["報告書.pdf"]


def test_the_limit_and_the_duplicate_check_span_every_field_of_the_application(both):
    both.login()
    report = {**to_report_step(both), "desired_class": "G"}
    same = pdf(text="same")
    page = send(both, report, upload(same, "a.pdf"), proof=[upload(same, "b.pdf")])
    assert "同じ内容のファイルがすでに添付されています" in page.screen_text
    page = send(
        both,
        report,
        *[upload(pdf(text=f"r{n}"), f"r{n}.pdf") for n in range(3)],
        proof=[upload(pdf(text=f"p{n}"), f"p{n}.pdf") for n in range(3)],
    )
    assert "添付できるファイルは5個までです" in page.screen_text
    assert len(page.select(".attachments li")) == 5


def test_a_removed_upload_is_deleted(app, both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(pdf(), "wrong.pdf"), action="back")
    page = both.go("procedure.input_submit", {"action": "next", **b01()["company"]})
    both.go("procedure.input_submit", {"action": page.one(".attachments button")["value"], **report})
    assert stored(app) == []


def test_the_uploads_of_an_abandoned_procedure_are_deleted(app, both):
    both.login()
    report = to_report_step(both)
    send(both, report, upload(pdf(), "left.pdf"), action="back")
    both.go("procedure.input_submit", {"action": "back", **b01()["company"]})
    page = both.go("procedure.input_submit", {"action": "back", **b01()["buyer"]})
    assert any(m.startswith("手続きを中断しました") for m in page.messages)
    assert stored(app) == []


def test_an_attached_file_can_be_removed(both):
    both.login()
    report = to_report_step(both)
    page = send(both, report, upload(pdf(), "wrong.pdf"), action="back")
    page = both.go("procedure.input_submit", {"action": "next", **b01()["company"]})
    remove = page.one(".attachments button")["value"]
    page = both.go("procedure.input_submit", {"action": remove, **report})
    assert not page.select(".attachments")
    page = send(both, report)
    assert page.field_error("report_files") == "信用調査報告書のファイルを添付してください"


def test_attachments_download_only_for_the_owner(app, portal, other_portal):
    portal.login()
    report = to_report_step(portal)
    send(portal, report, upload(pdf(text="mine"), "mine.pdf"))
    page = portal.go("procedure.input_submit", {"action": "next", **b01()["plan"]})
    number = page.text(".panel .number")
    with app.app_context():
        attachment_id = db.session().exec(select(Attachment.id)).one()
    response = portal.client.post(
        "/status/attachment",
        data={"csrf_token": portal.csrf, "_nav": portal.token, "number": number, "attachment": attachment_id},
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    other_portal.login("other-admin")
    response = other_portal.client.post(
        "/status/attachment",
        data={
            "csrf_token": other_portal.csrf,
            "_nav": other_portal.token,
            "number": number,
            "attachment": attachment_id,
        },
    )
    assert response.status_code == 404
