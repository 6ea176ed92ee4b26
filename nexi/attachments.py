"""Uploaded files (DOMAIN.md §12 file rules, used by every procedure, C.2).

PDF only, checked by content (header, trailer, parses with at least one page, not encrypted, no
active content, no HTML in front) and by name; at most NEXI_UPLOAD_MAX_BYTES each and
NEXI_UPLOAD_MAX_FILES per application, counted over all its fields; names of at most 100
characters, stored sanitised; the same file twice in one application is refused.

An upload is pending (`application_id` empty) until the first 確認 links it to the Web申込. A pending
upload is deleted when the user removes it or abandons the procedure (`discard`), and by run-daily
once it is 24 hours old (`purge_orphans`): no file outlives the procedure it was sent for.
"""

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import timedelta

from flask import current_app
from flask_login import current_user
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject
from sqlalchemy import delete
from sqlalchemy.orm import defer
from sqlmodel import col, select

from nexi import db
from nexi.clock import real_now
from nexi.models import Attachment

# Control characters (C0, DEL, C1) and the Unicode bidi controls, which can make 「invoice‮fdp.exe」
# look like another name; and the characters Windows refuses in a name.
_UNSAFE_IN_NAME = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]')

# A file that is also HTML (a polyglot) would run as a page if a browser ever sniffed it.
_HTML_MARKERS = (b"<html", b"<script", b"<!doctype")

# Action types that run code or another program (ISO 32000 12.6.4); /Rendition and others run
# JavaScript through a /JS entry, which is checked on its own.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute"}
# Annotations that carry a player (RichMedia) or an embedded file (FileAttachment).
_ACTIVE_ANNOTATIONS = {"/RichMedia", "/FileAttachment"}
# Defence in depth against a parser differential (a viewer repairing the file into another object
# graph than pypdf's): these names as whole tokens anywhere in the raw bytes. Only the long names:
# 3-4 byte names such as /JS or /XFA turn up by chance in compressed streams of a large file, and
# the structure check finds them where they matter.
_RAW_ACTIVE_NAMES = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFiles|RichMedia)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])")


class UploadRefused(ValueError):
    """An uploaded file breaks a rule; the message says which, in Japanese."""


def _sanitise(filename: str) -> str:
    name = unicodedata.normalize("NFKC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE_IN_NAME.sub("", name).strip().strip(".")


def _resolve(value):
    return value.get_object() if isinstance(value, PdfObject) else value


def _has_active_content(reader: PdfReader) -> bool:
    """Whether the catalog, the outline, the form fields or any page carry JavaScript, a launch,
    embedded files, RichMedia or XFA."""
    # pypdf resolves an object once, so id() names it: the seen sets end loops and make a shared
    # action chain cost once, however many nodes point to it.
    actions_seen: set[int] = set()

    def first_visit(thing, seen: set[int]) -> bool:
        if id(thing) in seen:
            return False
        seen.add(id(thing))
        return True

    def active_action(value) -> bool:
        pending = [value]
        while pending:
            action = _resolve(pending.pop())
            if isinstance(action, ArrayObject):
                pending.extend(action)
            elif isinstance(action, DictionaryObject) and first_visit(action, actions_seen):
                if _resolve(action.get("/S")) in _ACTIVE_ACTIONS or "/JS" in action:
                    return True
                pending.append(action.get("/Next"))  # actions chain
        return False

    def active_triggers(value) -> bool:  # an additional-actions dictionary: event → action
        triggers = _resolve(value)
        return isinstance(triggers, DictionaryObject) and any(active_action(a) for a in triggers.values())

    def active_node(node) -> bool:  # a page, an annotation, a form field or an outline item
        return active_action(node.get("/A")) or active_triggers(node.get("/AA"))

    def tree(root, *links: str, seen: set[int]):  # the dictionaries reachable through these keys
        pending = [root]
        while pending:
            node = _resolve(pending.pop())
            if isinstance(node, ArrayObject):
                pending.extend(node)
            elif isinstance(node, DictionaryObject) and first_visit(node, seen):
                yield node
                pending.extend(node.get(link) for link in links)

    catalog = _resolve(reader.trailer.get("/Root"))
    if not isinstance(catalog, DictionaryObject):
        raise ValueError("no catalog")
    names = _resolve(catalog.get("/Names"))
    if isinstance(names, DictionaryObject) and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        return True
    if active_action(catalog.get("/OpenAction")) or active_triggers(catalog.get("/AA")):
        return True
    form = _resolve(catalog.get("/AcroForm"))
    if isinstance(form, DictionaryObject):
        if "/XFA" in form or any(active_node(f) for f in tree(form.get("/Fields"), "/Kids", seen=set())):
            return True
    outline = _resolve(catalog.get("/Outlines"))
    if isinstance(outline, DictionaryObject):
        if any(active_node(item) for item in tree(outline.get("/First"), "/First", "/Next", seen=set())):
            return True
    annotations_seen: set[int] = set()
    for page in reader.pages:
        if active_triggers(page.get("/AA")):
            return True
        for annotation in tree(page.get("/Annots"), seen=annotations_seen):
            if _resolve(annotation.get("/Subtype")) in _ACTIVE_ANNOTATIONS or active_node(annotation):
                return True
    return False


def check_pdf(filename: str, content: bytes) -> str:
    """The sanitised file name, or UploadRefused with the reason."""
    name = _sanitise(filename)
    limit = current_app.config["NEXI_UPLOAD_MAX_BYTES"]
    if not name.lower().endswith(".pdf"):
        raise UploadRefused(f"「{name}」はPDFファイルではありません。拡張子が .pdf のファイルを添付してください")
    if len(name) > 100:
        raise UploadRefused("ファイル名は100文字以内にしてください")
    if not content:
        raise UploadRefused(f"「{name}」は空のファイルです")
    if len(content) > limit:
        raise UploadRefused(
            f"「{name}」は{limit // (1024 * 1024)}MBを超えています。{limit // (1024 * 1024)}MB以下のファイルを添付してください"
        )
    if b"%PDF-" not in content[:1024] or b"%%EOF" not in content[-1024:]:
        raise UploadRefused(f"「{name}」はPDFファイルとして読み込めません。PDF形式で保存し直してください")
    head = content[:1024].lower()
    if any(marker in head for marker in _HTML_MARKERS):
        raise UploadRefused(
            f"「{name}」にはPDF以外の内容（HTMLなど）が含まれているため添付できません。PDF形式で保存し直してください"
        )
    active = f"「{name}」にはJavaScript等の実行可能な内容や埋め込みファイルが含まれているため添付できません"
    if _RAW_ACTIVE_NAMES.search(content):
        raise UploadRefused(active)
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UploadRefused(f"「{name}」はパスワードで保護されています。保護を解除したPDFを添付してください")
        if len(reader.pages) < 1:
            raise UploadRefused(f"「{name}」にはページがありません")
        if _has_active_content(reader):
            raise UploadRefused(active)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        # whatever pypdf stumbles on in a hostile file means it cannot be read, never a 500
        raise UploadRefused(f"「{name}」はPDFファイルとして読み込めません。PDF形式で保存し直してください") from None
    return name


def store(upload, field: str, held: Sequence[int]) -> Attachment:
    """Check an uploaded file against the rules and keep it pending for `field` (its question).

    `held` is every attachment id the application holds, in all of its upload fields, including
    the files of this request stored before this one: NEXI_UPLOAD_MAX_FILES and the duplicate
    check count the whole application (12-1), not one field. Ids that are not the current
    保険利用者's, or no longer exist, do not count.
    """
    content = upload.read()
    name = check_pdf(upload.filename or "", content)
    existing = load(list(held))
    limit = current_app.config["NEXI_UPLOAD_MAX_FILES"]
    if len(existing) >= limit:
        raise UploadRefused(f"添付できるファイルは{limit}個までです")
    digest = hashlib.sha256(content).hexdigest()
    if any(other.sha256 == digest for other in existing):
        raise UploadRefused(f"「{name}」と同じ内容のファイルがすでに添付されています")
    attachment = Attachment(
        customer_id=current_user.customer.id,
        user_id=current_user.user.id,
        field=field,
        filename=name,
        size=len(content),
        sha256=digest,
        content=content,
        uploaded_at=real_now(),
    )
    db.session().add(attachment)
    db.session().flush()
    return attachment


def _ids(ids: Iterable[int | str]) -> list[int]:
    """The ids that can name a row; an id beyond the column's range (posted by hand) would make
    PostgreSQL fail the statement."""
    valid = []
    for value in ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31:
            valid.append(number)
    return valid


def discard(ids: Iterable[int | str]) -> int:
    """Delete the uploads with these ids that belong to the current 保険利用者 and are not attached
    to a saved application (a file removed by the user, or left by an abandoned procedure); a file
    of a saved application stays until that application is saved without it. How many went."""
    wanted = _ids(ids)
    if not wanted:
        return 0
    result = db.session().execute(
        delete(Attachment).where(
            col(Attachment.id).in_(wanted),
            Attachment.customer_id == current_user.customer.id,
            col(Attachment.application_id).is_(None),
        )
    )
    return result.rowcount


def purge_orphans(older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete every upload not attached to a saved application that was uploaded longer ago than
    `older_than` (run-daily). Upload times are real time, like the sessions a procedure lives in,
    so the business clock (NEXI_NOW, run-daily --date) does not move this. How many went."""
    result = db.session().execute(
        delete(Attachment).where(
            col(Attachment.application_id).is_(None), col(Attachment.uploaded_at) < real_now() - older_than
        )
    )
    return result.rowcount


def load(ids: list[int], customer_id: int | None = None) -> list[Attachment]:
    """The attachments with these ids that belong to the current 保険利用者 (or to `customer_id`,
    for NEXI staff reading an application), in the given order."""
    ids = _ids(ids)
    if not ids:
        return []
    owner = customer_id if customer_id is not None else current_user.customer.id
    rows = (
        db.session()
        .exec(
            select(Attachment)
            .where(col(Attachment.id).in_(ids), Attachment.customer_id == owner)
            .options(defer(Attachment.content))
        )
        .all()
    )
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}MB"
    return f"{max(1, size // 1024)}KB"
