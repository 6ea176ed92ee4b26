"""A small HTTP client for the bench's own requests: keeps the session cookie by hand (the portal
marks it Secure in production, which cookie jars will not send over plain http on 127.0.0.1)."""

import gzip
import http.client
import re
from urllib.parse import urlencode, urlsplit


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = {key.lower(): value for key, value in raw.getheaders()}
        self.wire = raw.read()
        self.body = gzip.decompress(self.wire) if self.headers.get("content-encoding") == "gzip" else self.wire
        self.text = self.body.decode("utf-8", "replace")


class Client:
    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""
        self.csrf = ""
        self.token = ""

    def request(self, method: str, path: str, fields=None, headers=None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        body = urlencode(fields or [], doseq=True) if fields is not None else None
        sent = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = Response(connection.getresponse())
        connection.close()
        cookie = response.headers.get("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        self._remember(response.text)
        return response

    def _remember(self, html: str) -> None:
        token = re.search(r'id="nav-token" name="_nav_live" value="([^"]+)"', html)
        if token:
            self.token = token.group(1)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
        if csrf:
            self.csrf = csrf.group(1)

    def login(self, login_id: str, password: str) -> Response:
        self.request("GET", "/login")
        response = self.request(
            "POST", "/login", [("csrf_token", self.csrf), ("login_id", login_id), ("password", password)]
        )
        if response.status != 303 or response.headers.get("location", "").endswith("/login"):
            raise RuntimeError(f"login of {login_id} failed ({response.status})")
        return self.request("GET", "/")

    def post(self, path: str, fields=(), *, htmx: bool = True, target: str = "screen") -> Response:
        headers = {"HX-Request": "true", "HX-Target": target, "X-CSRFToken": self.csrf} if htmx else {}
        tokens = [("csrf_token", self.csrf), ("_nav_live" if htmx else "_nav", self.token)]
        return self.request("POST", path, list(fields) + tokens, headers)
