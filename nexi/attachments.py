"""Uploaded files (DOMAIN.md §12 file rules, used by every procedure, C.2).

PDF only, checked by content (header, trailer, parses with at least one page, not encrypted) and by
name; at most NEXI_UPLOAD_MAX_BYTES each and NEXI_UPLOAD_MAX_FILES per application; names of at
most 100 characters, stored sanitised; the same file twice is refused.
"""

import hashlib
import io
import re
import unicodedata

from flask import current_app
from flask_login import current_user
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy.orm import defer
from sqlmodel import col, select

from nexi import db
from nexi.clock import real_now
from nexi.models import Attachment


class UploadRefused(ValueError):
    """An uploaded file breaks a rule; the message says which, in Japanese."""


def _sanitise(filename: str) -> str:
    name = unicodedata.normalize("NFKC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip().strip(".")
    return name


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
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UploadRefused(f"「{name}」はパスワードで保護されています。保護を解除したPDFを添付してください")
        if len(reader.pages) < 1:
            raise UploadRefused(f"「{name}」にはページがありません")
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise UploadRefused(f"「{name}」はPDFファイルとして読み込めません。PDF形式で保存し直してください") from None
    return name


def store(upload, field: str, held: list[int]) -> Attachment:
    """Check an uploaded file against the rules and the files already held; keep it pending."""
    content = upload.read()
    name = check_pdf(upload.filename or "", content)
    if len(held) >= current_app.config["NEXI_UPLOAD_MAX_FILES"]:
        raise UploadRefused(f"添付できるファイルは{current_app.config['NEXI_UPLOAD_MAX_FILES']}個までです")
    digest = hashlib.sha256(content).hexdigest()
    if any(existing.sha256 == digest for existing in load(held)):
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


def load(ids: list[int]) -> list[Attachment]:
    """The attachments with these ids that belong to the current 保険利用者, in the given order."""
    if not ids:
        return []
    rows = (
        db.session()
        .exec(
            select(Attachment)
            .where(col(Attachment.id).in_(ids), Attachment.customer_id == current_user.customer.id)
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
