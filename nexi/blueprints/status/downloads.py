"""What Web申込状況一覧 hands out as files: the CSV of a search, an application's 控え and its
attachments (C.7). All are read-only and scoped like every other read of applications."""

import csv
import io
from urllib.parse import quote

from flask import Response, render_template
from sqlalchemy.orm import defer
from sqlmodel import col, select

from nexi import db
from nexi.clock import to_jst
from nexi.models import Application, Attachment
from nexi.procedures.registry import CATALOGUE, PROCEDURES
from nexi.procedures.state import Flow, confirm_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["Web申込番号", "手続種別", "対象", "申込日時", "申込者", "状況", "最終更新日時", "期限超過"]


def groups(application: Application, *, owner=None, held=None) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The 確認 layout of a saved application: (step title, rows) per step. `owner`: (its
    creator, its customer) when the reader is not the customer's own login (NEXI staff);
    `held`: its attachments (`files()`), when already read."""
    procedure = PROCEDURES.get(application.procedure)
    if procedure is None:
        return []
    user, customer = owner or (None, None)
    flow = Flow(
        {
            "code": application.procedure,
            "values": application.data.get("values", {}),
            "files": application.data.get("files", {}),
            "errors": {},
        },
        user=user,
        customer=customer,
        attached=None if held is None else {attachment.id: attachment for attachment in held},
    )
    return [(step.title, confirm_rows(flow.form(step, with_errors=False))) for step in flow.steps()]


def files(application: Application) -> list[Attachment]:
    return (
        db.session()
        .exec(
            select(Attachment)
            .where(Attachment.application_id == application.id, Attachment.customer_id == application.customer_id)
            .options(defer(Attachment.content))
            .order_by(col(Attachment.id))
        )
        .all()
    )


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _when(moment) -> str:
    local = to_jst(moment)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def csv_response(rows) -> Response:
    """UTF-8 with BOM (Excel opens it as such); cells that could start a formula are quoted with '."""
    from nexi.models import STATUS_LABELS, Status

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for application, login_id, status in rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    application.number,
                    CATALOGUE.get(application.procedure, application.procedure),
                    application.target,
                    _when(application.listed_at),
                    login_id,
                    STATUS_LABELS[Status(status)],
                    _when(application.updated_at),
                    "期限超過" if application.overdue else "",
                )
            ]
        )
    body = "\ufeff" + out.getvalue()
    return _download(body.encode("utf-8"), "web_applications.csv", "text/csv; charset=utf-8")


def table_csv(columns: list[str], rows, filename: str) -> Response:
    """Any list as CSV under the same rules (C.7): a header, UTF-8 with BOM, formulas quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return _download(("\ufeff" + out.getvalue()).encode("utf-8"), filename, "text/csv; charset=utf-8")


when = _when  # a moment as the CSV columns show it (JST, to the minute)


def copy_response(application: Application, status, history, *, owner=None) -> Response:
    html = render_template(
        "status/copy.html",
        application=application,
        status=status,
        procedure_name=CATALOGUE.get(application.procedure, application.procedure),
        groups=groups(application, owner=owner),
        files=files(application),
        history=history,
    )
    return _download(html.encode("utf-8"), f"{application.number}.html", "text/html; charset=utf-8")


def attachment_response(application: Application, attachment_id: int) -> Response:
    attachment = (
        db.session()
        .exec(
            select(Attachment).where(
                Attachment.id == attachment_id,
                Attachment.application_id == application.id,
                Attachment.customer_id == application.customer_id,
            )
        )
        .first()
    )
    if attachment is None:
        return not_found()
    return _download(attachment.content, attachment.filename, "application/pdf")


def not_found() -> Response:
    from nexi.errors import render_error

    body, status = render_error(404, "指定されたファイルは見つかりません。")
    return Response(body, status, mimetype="text/html")


def _download(body: bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
