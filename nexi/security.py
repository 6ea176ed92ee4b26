"""Passwords, identifiers and the security headers sent with every response."""

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, request

from nexi.text import normalize_text

# OWASP's recommended argon2id parameters; the test profile only keeps the suite fast.
_HASHERS = {
    "standard": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
_DUMMY_HASHES: dict[str, str] = {}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def normalize_password(password: str) -> str:
    """NFKC, never trimmed: what is hashed when a password is set and when it is checked (3-2)."""
    return unicodedata.normalize("NFKC", password)


def login_key(login_id: str) -> str:
    """The key a WebユーザーID is matched and counted under: NFKC, trimmed, case-insensitive (C.6)."""
    return normalize_text(login_id).casefold()[:64]


def _hasher() -> PasswordHasher:
    return _HASHERS[current_app.config["NEXI_PASSWORD_HASH"]]


def hash_password(password: str) -> str:
    return _hasher().hash(normalize_password(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and fail (hides unknown IDs)."""
    hasher = _hasher()
    if stored_hash is None:
        profile = current_app.config["NEXI_PASSWORD_HASH"]
        if profile not in _DUMMY_HASHES:
            _DUMMY_HASHES[profile] = hasher.hash("dummy password for timing")
        stored_hash = _DUMMY_HASHES[profile]
        try:
            hasher.verify(stored_hash, normalize_password(password) + "\0")
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        return hasher.verify(stored_hash, normalize_password(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash that just verified was made with other parameters than today's: the caller,
    which holds the password now, stores a new hash (at the next successful login)."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            # Every page is personal or guarded: never stored, never served from a cache.
            headers["Cache-Control"] = "no-store"
        return response
