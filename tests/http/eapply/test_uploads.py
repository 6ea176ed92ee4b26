"""E01's files follow the shared file rules (DOMAIN.md §12, nexi/attachments.py): what breaks them
is refused next to 添付ファイル with its reason, and nothing of it is stored; a name is stored
without its path or bidi and control characters."""

import pytest

from tests.http.eapply.helpers import begin, file, send, stored
from tests.support.files import active_pdf, pdf, upload

ACTIVE = "にはJavaScript等の実行可能な内容や埋め込みファイルが含まれているため添付できません"


@pytest.mark.parametrize(
    "kind", ["document_javascript", "open_action", "embedded_file", "file_annotation", "link_launch"]
)
def test_active_content_is_refused_and_not_stored(app, both, kind):
    begin(both)
    page = send(both, upload(active_pdf(kind), "active.pdf"))
    assert page.field_error("documents") == f"「active.pdf」{ACTIVE}"
    assert not page.select(".attachments li")
    assert stored(app) == []


def test_escaped_active_names_are_found_in_the_structure(app, portal):
    begin(portal)
    page = send(portal, upload(active_pdf("link_launch", escaped=True), "escaped.pdf"))
    assert page.field_error("documents") == f"「escaped.pdf」{ACTIVE}"
    assert stored(app) == []


def test_an_html_polyglot_is_refused(app, both):
    begin(both)
    page = send(both, upload(b"<!DOCTYPE html><script>alert(1)</script>\n" + pdf(), "page.pdf"))
    assert "「page.pdf」にはPDF以外の内容（HTMLなど）が含まれている" in page.field_error("documents")
    assert stored(app) == []


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"hello", "memo.txt", "「memo.txt」はPDFファイルではありません"),
        (b"%PDF-1.7 not really", "fake.pdf", "「fake.pdf」はPDFファイルとして読み込めません"),
        (pdf(password="secret"), "locked.pdf", "「locked.pdf」はパスワードで保護されています"),
    ],
)
def test_what_is_not_a_readable_pdf_is_refused(app, portal, content, name, reason):
    begin(portal)
    page = send(portal, upload(content, name))
    assert page.field_error("documents").startswith(reason)
    assert stored(app) == []


def test_a_file_over_the_size_limit_is_refused(app, portal, monkeypatch):
    monkeypatch.setitem(app.config, "NEXI_UPLOAD_MAX_BYTES", 2048)
    begin(portal)
    page = send(portal, upload(pdf(text="x" * 4000), "big.pdf"))
    assert "「big.pdf」は" in page.field_error("documents") and "を超えています" in page.field_error("documents")
    assert stored(app) == []


def test_the_same_file_twice_is_refused_and_kept_once(app, both):
    begin(both)
    same = pdf(text="same")
    page = send(both, upload(same, "a.pdf"), upload(same, "b.pdf"), action="rows")
    assert page.field_error("documents") == "「b.pdf」と同じ内容のファイルがすでに添付されています"
    assert [a.filename for a in stored(app)] == ["a.pdf"]
    page = send(both, upload(same, "c.pdf"), action="rows")  # in a later request too
    assert "同じ内容のファイルがすでに添付されています" in page.field_error("documents")
    assert [a.filename for a in stored(app)] == ["a.pdf"]


def test_at_most_five_files(app, portal, monkeypatch):
    begin(portal)
    page = send(portal, *[file(str(n), f"{n}.pdf") for n in range(6)], action="rows")
    assert page.field_error("documents") == "添付できるファイルは5個までです"
    assert len(stored(app)) == 5
    monkeypatch.setitem(app.config, "NEXI_UPLOAD_MAX_FILES", 2)  # the setting, not a constant
    begin(portal)
    page = send(portal, *[file(f"x{n}", f"x{n}.pdf") for n in range(3)], action="rows")
    assert page.field_error("documents") == "添付できるファイルは2個までです"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/\u202e請求\u200f書.pdf", "請求書.pdf"),
        # a quoted-string filename loses its backslashes in the multipart parser (RFC 2616 escapes);
        # what arrives is one name, and the sanitiser drops the drive's colon
        ("C:\\Users\\nexi\\報告書.pdf", "CUsersnexi報告書.pdf"),
        ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),
        ("..\u2066受領書\u2069..pdf", "受領書..pdf"),
    ],
)
def test_names_are_stored_sanitised(app, portal, name, kept):
    begin(portal)
    page = send(portal, upload(pdf(), name))
    assert page.h1 == "電子申請（申込内容確認）", page.error_summary
    rows = dict(zip(page.texts(".summary-group dt"), page.texts(".summary-group dd"), strict=True))
    assert rows["添付ファイル"] == kept
    assert [a.filename for a in stored(app)] == [kept]
    assert stored(app)[0].application_id is not None  # held by the draft saved at 確認
