"""PDF files for upload tests, made with pypdf."""

import io

from pypdf import PdfWriter


def pdf(pages: int = 1, *, password: str | None = None, text: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text or "test"})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(content: bytes, name: str):
    return (io.BytesIO(content), name)
