"""The file rules of §12 (12-1, used by every procedure, C.2) at the level of nexi.attachments:
limits per application, active content and polyglots refused, names stored without control or bidi
characters, and uploads that no saved application holds deleted."""

import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask_login import current_user
from sqlmodel import select
from werkzeug.datastructures import FileStorage

from nexi import attachments, db, sessions
from nexi.clock import real_now
from nexi.models import Application, Attachment, WebUser
from tests.support.files import ACTIVE_KINDS, active_pdf, benign_pdf, pdf, with_stray_object

ACTIVE = "にはJavaScript等の実行可能な内容や埋め込みファイルが含まれているため添付できません"


@contextmanager
def signed_in(app, login_id: str = "demo-admin"):
    """One request of this user, logged in as the portal does; what it wrote is committed."""
    with app.test_request_context("/", method="POST"):
        user = db.session().exec(select(WebUser).where(WebUser.login_key == login_id)).one()
        sessions.start(user)
        yield
        db.session().commit()


def file(content: bytes, name: str = "a.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


def refusal(content: bytes, name: str = "a.pdf") -> str:
    with pytest.raises(attachments.UploadRefused) as refused:
        attachments.check_pdf(name, content)
    return str(refused.value)


def stored_rows() -> dict[int, Attachment]:
    return {row.id: row for row in db.session().exec(select(Attachment)).all()}


# Per application, not per field


def test_the_limit_counts_every_field_of_the_application(app):
    with signed_in(app):
        held = []
        for number, field in enumerate(["report_files"] * 3 + ["proof_files"] * 2):
            held.append(attachments.store(file(pdf(text=str(number))), field, held).id)
        with pytest.raises(attachments.UploadRefused, match="^添付できるファイルは5個までです$"):
            attachments.store(file(pdf(text="sixth")), "directory_files", held)


def test_the_same_file_in_another_field_is_a_duplicate(app):
    with signed_in(app):
        same = pdf(text="same")
        first = attachments.store(file(same, "a.pdf"), "report_files", [])
        with pytest.raises(attachments.UploadRefused, match="「b.pdf」と同じ内容のファイルがすでに添付されています"):
            attachments.store(file(same, "b.pdf"), "proof_files", [first.id])
        assert attachments.store(file(pdf(text="other")), "proof_files", [first.id]).field == "proof_files"


def test_ids_of_another_customer_or_of_no_file_count_for_nothing(app):
    same = pdf(text="same")
    with signed_in(app, "other-admin"):
        theirs = attachments.store(file(same), "report_files", []).id
    with signed_in(app):
        # the same content as another company's file: not a duplicate, and nothing of it is told
        mine = attachments.store(file(same), "report_files", [theirs, 10**20, 999_999, 999_998, 999_997])
        assert mine.customer_id == current_user.customer.id


# Stored names


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("報告\x00書\x07.pdf", "報告書.pdf"),
        ("report\x85\x9f.pdf", "report.pdf"),  # C1 controls
        ("\u202ereport\u202c.pdf", "report.pdf"),
        ("a\u200eb\u200fc\u061cd.pdf", "abcd.pdf"),
        ("\u2066x\u2067y\u2068z\u2069.pdf", "xyz.pdf"),
        ("\u202a\u202b\u202dname.pdf", "name.pdf"),
    ],
)
def test_control_and_bidi_characters_are_removed_from_the_stored_name(app, sent, stored):
    with signed_in(app):
        assert attachments.store(file(pdf(), sent), "report_files", []).filename == stored


def test_a_name_that_only_looks_like_a_pdf_is_refused(app):
    with app.app_context():
        # shown as 「invoiceexe.pdf」 by the override, it is an .exe name once the override is gone
        assert "はPDFファイルではありません" in refusal(pdf(), "invoice\u202efdp.exe")


# Active content and polyglots


@pytest.mark.parametrize("escaped", [False, True], ids=["plain", "escaped"])
@pytest.mark.parametrize("kind", ACTIVE_KINDS)
def test_active_content_is_refused(app, kind, escaped):
    content = active_pdf(kind, escaped=escaped)
    if escaped:  # only reading the structure can find these
        assert not re.search(rb"/(JavaScript|Launch|EmbeddedFiles|RichMedia)\b", content)
    with app.app_context():
        assert refusal(content, "report.pdf") == f"「report.pdf」{ACTIVE}"


def test_active_content_outside_the_object_graph_is_refused_too(app):
    # an object nothing refers to: pypdf never reads it, but a viewer repairing the file might
    content = with_stray_object(pdf(), b"<< /S /JavaScript /JS (app.alert(1)) >>")
    with app.app_context():
        assert refusal(content) == f"「a.pdf」{ACTIVE}"


def test_harmless_links_outlines_fields_and_names_are_accepted(app):
    with app.app_context():
        assert attachments.check_pdf("ok.pdf", benign_pdf()) == "ok.pdf"


@pytest.mark.parametrize("front", [b"<html>", b"<SCRIPT>alert(1)</script>", b"<!DocType html>"])
def test_a_pdf_that_is_also_html_is_refused(app, front):
    with app.app_context():
        message = refusal(front + b"\n" + pdf(), "both.pdf")
    assert (
        message
        == "「both.pdf」にはPDF以外の内容（HTMLなど）が含まれているため添付できません。PDF形式で保存し直してください"
    )


def test_html_after_the_first_1024_bytes_is_not_a_polyglot(app):
    content = benign_pdf()
    assert 1024 < content.lower().index(b"<html")
    with app.app_context():
        assert attachments.check_pdf("ok.pdf", content) == "ok.pdf"


# Orphaned uploads


def _attach_to_a_draft(attachment_id: int) -> None:
    row = db.session().get(Attachment, attachment_id)
    draft = db.session().exec(select(Application).where(Application.customer_id == row.customer_id)).first()
    row.application_id = draft.id
    db.session().add(row)


def test_discard_deletes_only_the_current_customers_pending_uploads(app):
    with signed_in(app, "other-admin"):
        theirs = attachments.store(file(pdf(text="theirs")), "report_files", []).id
    with signed_in(app):
        removed = attachments.store(file(pdf(text="removed")), "report_files", []).id
        saved = attachments.store(file(pdf(text="saved")), "report_files", []).id
        _attach_to_a_draft(saved)
    with signed_in(app):
        assert attachments.discard([removed, saved, theirs, str(removed), "x", 10**20, -1]) == 1
        assert attachments.discard([]) == 0
    with app.app_context():
        assert set(stored_rows()) == {saved, theirs}


def test_run_daily_deletes_pending_uploads_older_than_24_hours(app, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_NOW", app.config["NEXI_NOW"])  # --date sets it
    with signed_in(app):
        old = attachments.store(file(pdf(text="old")), "report_files", []).id
        recent = attachments.store(file(pdf(text="recent")), "report_files", []).id
        old_but_saved = attachments.store(file(pdf(text="saved")), "report_files", []).id
        _attach_to_a_draft(old_but_saved)
        rows = stored_rows()
        for attachment_id in (old, old_but_saved):
            rows[attachment_id].uploaded_at = real_now() - timedelta(hours=24, minutes=1)
        rows[recent].uploaded_at = real_now() - timedelta(hours=23)
    result = app.test_cli_runner().invoke(args=["run-daily", "--date", "2020-01-01"])  # business day: no effect
    assert result.exit_code == 0, result.output
    assert "削除した未使用のアップロードファイル: 1件" in result.output
    with app.app_context():
        assert set(stored_rows()) == {recent, old_but_saved}
        assert attachments.purge_orphans(older_than=timedelta(hours=1)) == 1
        assert set(stored_rows()) == {old_but_saved}
