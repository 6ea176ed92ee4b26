"""Static files: versioned URLs (templating.asset_url adds ?v=<content hash>) cached for a year,
gzip-compressed once per process and served compressed to browsers that accept it."""

import gzip
import hashlib
import mimetypes
from functools import cache
from pathlib import Path

from flask import Flask, abort, current_app, request
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".html", ".json"}


@cache
def _load(folder: str, filename: str) -> tuple[bytes, bytes | None, str]:
    path = Path(folder) / filename
    body = path.read_bytes()
    packed = gzip.compress(body, compresslevel=9, mtime=0) if path.suffix in COMPRESSIBLE else None
    if packed is not None and len(packed) >= len(body):
        packed = None
    return body, packed, hashlib.sha256(body).hexdigest()[:12]


def serve(filename: str):
    path = safe_join(current_app.static_folder, filename)
    if path is None or not Path(path).is_file():
        abort(404)
    body, packed, digest = _load(current_app.static_folder, filename)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if mimetype.startswith("text/") or mimetype in {"application/javascript", "image/svg+xml"}:
        mimetype += "; charset=utf-8" if "charset" not in mimetype and mimetype != "image/svg+xml" else ""
    response = Response(mimetype=mimetype)
    if packed is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(body)
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(digest)
    if request.args.get("v") == digest:  # the URL names this exact content: it never changes
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.view_functions["static"] = serve
