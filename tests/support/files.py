"""PDF files for upload tests, made with pypdf: plain ones, and ones carrying active content."""

import io
import re

from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)


def pdf(pages: int = 1, *, password: str | None = None, text: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text or "test"})
    if password:
        writer.encrypt(password)
    return _written(writer)


def upload(content: bytes, name: str):
    return (io.BytesIO(content), name)


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _dict(**entries) -> DictionaryObject:
    """A PDF dictionary: _dict(S="/JavaScript", JS="app.alert(1)"); a value starting with / is a name."""

    def value(item):
        if isinstance(item, str):
            return NameObject(item) if item.startswith("/") else TextStringObject(item)
        return item

    return DictionaryObject({NameObject(f"/{key}"): value(item) for key, item in entries.items()})


def _rect() -> ArrayObject:
    return ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)])


def _script() -> DictionaryObject:
    return _dict(S="/JavaScript", JS="app.alert(1)")


def _annotate(writer: PdfWriter, annotation: DictionaryObject) -> None:
    annotation.update(_dict(Type="/Annot", Rect=_rect()))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _outline_script(writer: PdfWriter) -> None:
    item = writer.add_outline_item(title="目次", page_number=0).get_object()
    item[NameObject("/A")] = _script()


def _embedded_stream(writer: PdfWriter):
    stream = DecodedStreamObject()
    stream.set_data(b"hello")
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    return writer._add_object(stream)


# kind → what it adds to a one-page PDF; each reaches active content by another path.
_ACTIVE = {
    "document_javascript": lambda w: w.add_open_action(JavaScript("app.alert(1)")),  # /Names /JavaScript
    "open_action": lambda w: w.root_object.__setitem__(NameObject("/OpenAction"), _script()),
    "open_action_chain": lambda w: w.root_object.__setitem__(
        NameObject("/OpenAction"),
        _dict(S="/GoTo", D=ArrayObject([w.pages[0].indirect_reference, NameObject("/Fit")]), Next=_script()),
    ),
    "document_actions": lambda w: w.root_object.__setitem__(NameObject("/AA"), _dict(WC=_script())),
    "page_actions": lambda w: w.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert(1)")),
    "link_launch": lambda w: _annotate(w, _dict(Subtype="/Link", A=_dict(S="/Launch", F="calc.exe"))),
    "rendition_script": lambda w: _annotate(  # JavaScript through a /JS entry, without /S /JavaScript
        w, _dict(Subtype="/Screen", AA=_dict(E=_dict(S="/Rendition", OP=FloatObject(0), JS="app.alert(1)")))
    ),
    "field_script": lambda w: w.root_object.__setitem__(  # a form field on no page
        NameObject("/AcroForm"),
        _dict(Fields=ArrayObject([w._add_object(_dict(FT="/Tx", T="a", AA=_dict(K=_script())))])),
    ),
    "outline_script": _outline_script,
    "embedded_file": lambda w: w.add_attachment("a.txt", b"hello"),  # /Names /EmbeddedFiles
    "file_annotation": lambda w: _annotate(
        w, _dict(Subtype="/FileAttachment", FS=_dict(Type="/Filespec", F="a.txt", EF=_dict(F=_embedded_stream(w))))
    ),
    "rich_media": lambda w: _annotate(w, _dict(Subtype="/RichMedia", RichMediaContent=_dict())),
    "xfa": lambda w: w.root_object.__setitem__(
        NameObject("/AcroForm"), _dict(Fields=ArrayObject(), XFA="<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    ),
}
ACTIVE_KINDS = tuple(_ACTIVE)

# How malicious files spell these names so that a scan of the raw bytes misses them (ISO 32000 7.3.5:
# #xx in a name is the byte xx).
_ESCAPES = {
    b"/JavaScript": b"/J#61vaScript",
    b"/Launch": b"/L#61unch",
    b"/EmbeddedFiles": b"/E#6dbeddedFiles",
    b"/RichMedia": b"/R#69chMedia",
}


def active_pdf(kind: str, *, escaped: bool = False) -> bytes:
    """A one-page PDF carrying one kind of active content (ACTIVE_KINDS). `escaped` writes its names
    with #xx escapes, so that only reading the structure finds them."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    _ACTIVE[kind](writer)
    content = _written(writer)
    if escaped:
        for plain, spelled in _ESCAPES.items():
            content = content.replace(plain, spelled)
        content = _with_new_xref(content)
    return content


def with_stray_object(content: bytes, body: bytes) -> bytes:
    """The PDF with an object that nothing refers to (pypdf never reads it; a viewer repairing the
    file might)."""
    start = content.rindex(b"\nxref\n") + 1
    number = max(int(m[1]) for m in re.finditer(rb"(?m)^(\d+) 0 obj", content)) + 1
    return _with_new_xref(content[:start] + b"%d 0 obj\n%s\nendobj\n" % (number, body) + content[start:])


def _with_new_xref(content: bytes) -> bytes:
    """Rewrite the cross-reference table of a pypdf-written file after its bytes moved."""
    offsets = {int(m[1]): m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", content)}
    start = content.rindex(b"\nxref\n") + 1
    size = max(offsets) + 1
    table = b"xref\n0 %d\n0000000000 65535 f \n" % size
    table += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    trailer = content[content.index(b"trailer", start) : content.rindex(b"startxref")]
    trailer = re.sub(rb"/Size \d+", b"/Size %d" % size, trailer)
    return content[:start] + table + trailer + b"startxref\n%d\n%%%%EOF\n" % start


def benign_pdf() -> bytes:
    """A PDF with the harmless relatives of active content: a web link, an outline entry that goes
    to a page, a text field, a title mentioning JavaScript, and an uncompressed page whose resources are named
    /JS and /XFA and whose drawing mentions <html> (after the first 1,024 bytes)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    page = writer.pages[0]
    page[NameObject("/Resources")] = _dict(ExtGState=_dict(JS=_dict(Type="/ExtGState", CA=FloatObject(1))))
    drawing = DecodedStreamObject()
    drawing.set_data(b"q /JS gs /XFA Do Q\n% <html> <script> <!DOCTYPE>\n")
    page[NameObject("/Contents")] = writer._add_object(drawing)
    _annotate(writer, _dict(Subtype="/Link", A=_dict(S="/URI", URI="https://www.nexi.go.jp/")))
    writer.add_outline_item(title="目次", page_number=0)
    field = writer._add_object(_dict(FT="/Tx", T="memo"))
    writer.root_object[NameObject("/AcroForm")] = _dict(Fields=ArrayObject([field]))
    writer.add_metadata({"/Title": "Using JavaScript safely" + " " * 1024})  # pushes the page past 1,024 bytes
    return _written(writer)
