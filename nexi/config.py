"""NEXI_* settings read from the environment, with safe defaults (DOMAIN.md C.8).

Every setting is parsed once at start-up; a malformed value stops the app with a message naming
the variable, instead of failing later inside a request.
"""

import base64
import binascii
import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"

# name: (parser, default)
_SETTINGS = {
    "NEXI_DATABASE_URL": (str, f"sqlite:///{INSTANCE_DIR / 'nexi.sqlite3'}"),
    "NEXI_NOW": (str, ""),
    "NEXI_LOCKOUT_THRESHOLD": (int, 5),
    "NEXI_IDLE_TIMEOUT_SECONDS": (int, 1800),
    "NEXI_SESSION_MAX_SECONDS": (int, 43200),
    "NEXI_LOGIN_RATE": (int, 30),
    "NEXI_LOGIN_RATE_SECONDS": (int, 300),
    "NEXI_PROXY_HOPS": (int, 0),
    "NEXI_OTP_PENDING_SECONDS": (int, 300),
    "NEXI_NOTICES_PAGE_SIZE": (int, 10),
    "NEXI_NOTICE_CACHE_SECONDS": (int, 60),
    "NEXI_MASTER_CACHE_SECONDS": (int, 300),
    "NEXI_PAGE_SIZE": (int, 20),
    "NEXI_DRAFT_EXPIRY_DAYS": (int, 30),
    "NEXI_PURGE_MONTHS": (int, 12),
    "NEXI_SLEEPING_MONTHS": (int, 24),
    "NEXI_SLEEPING_RELEASE_DAYS": (int, 60),
    "NEXI_SLEEPING_AUTO_REMOVE": (bool, False),
    "NEXI_RENEWAL_PROPOSAL_MONTHS": (int, 2),
    "NEXI_RENEWAL_DEADLINE_MONTHS": (int, 1),
    "NEXI_AUTO_RELEASE_DAYS": (int, 90),
    "NEXI_PRESHIPMENT_CLAIM_MONTHS": (int, 9),
    "NEXI_SME_MAX_TERM_DAYS": (int, 180),
    "NEXI_UPLOAD_MAX_BYTES": (int, 10 * 1024 * 1024),
    "NEXI_UPLOAD_MAX_FILES": (int, 5),
    "NEXI_SQL_COUNT": (bool, False),
    "NEXI_PASSWORD_HASH": (str, "standard"),
    "NEXI_TEMP_PASSWORD_DAYS": (int, 7),
    "NEXI_PASSWORD_BLOCKLIST": (str, ""),
    "NEXI_MAX_USERS": (int, 50),
    "NEXI_OTP_DEFAULT_ON": (bool, False),
}


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(value)


def load(environ=None, overrides=None) -> dict:
    """Return the Flask config mapping for these environment variables and overrides."""
    environ = os.environ if environ is None else environ
    config = {}
    for name, (kind, default) in _SETTINGS.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            config[name] = default
            continue
        try:
            config[name] = _parse_bool(raw) if kind is bool else kind(raw)
        except ValueError as exc:
            raise RuntimeError(f"{name} has an invalid value: {raw!r}") from exc
    config["NEXI_ENV"] = environ.get("NEXI_ENV") or ""
    config.update(overrides or {})
    blocklist = config["NEXI_PASSWORD_BLOCKLIST"]
    if blocklist and not Path(blocklist).is_file():
        raise RuntimeError(f"NEXI_PASSWORD_BLOCKLIST names no readable file: {blocklist!r}")

    secret = (
        config.get("SECRET_KEY")
        or config.get("NEXI_SECRET_KEY")
        or environ.get("NEXI_SECRET_KEY")
        or environ.get("SECRET_KEY")
    )
    production = _environment(config, secret)
    if not secret:
        secret = "development-only-secret-key-not-for-production"
    config["SECRET_KEY"] = secret
    config["OTP_KEYS"] = _otp_keys(config.get("NEXI_OTP_KEY") or environ.get("NEXI_OTP_KEY"), production)
    if production and config["NEXI_PASSWORD_HASH"] == "fast":
        raise RuntimeError("NEXI_PASSWORD_HASH=fast is for the tests only: it is refused when NEXI_ENV=production")
    if config["NEXI_PASSWORD_HASH"] not in PASSWORD_HASHES:
        raise RuntimeError(f"NEXI_PASSWORD_HASH has an invalid value: {config['NEXI_PASSWORD_HASH']!r}")
    for name in ("NEXI_SESSION_MAX_SECONDS", "NEXI_LOGIN_RATE", "NEXI_LOGIN_RATE_SECONDS"):
        if config[name] < 1:
            raise RuntimeError(f"{name} must be at least 1: {config[name]!r}")
    if config["NEXI_PROXY_HOPS"] < 0:
        raise RuntimeError(f"NEXI_PROXY_HOPS must not be negative: {config['NEXI_PROXY_HOPS']!r}")
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("SESSION_COOKIE_SECURE", production)
    # Over HTTPS the prefix makes browsers refuse the cookie unless it is Secure, for this host only
    # (no Domain) and for every path: a sibling subdomain or plain-HTTP page cannot plant one.
    config.setdefault("SESSION_COOKIE_NAME", "__Host-nexi_session" if production else "nexi_session")
    # The NEXI staff area's own session cookie (nexi/sessions.py AreaSessionInterface).
    config.setdefault("STAFF_SESSION_COOKIE_NAME", "__Host-nexi_staff_session" if production else "nexi_staff_session")
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the login session
    config.setdefault(
        "MAX_CONTENT_LENGTH", config["NEXI_UPLOAD_MAX_BYTES"] * config["NEXI_UPLOAD_MAX_FILES"] + (1 << 20)
    )
    config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 24 * 3600)
    return config


ENVIRONMENTS = ("development", "test", "production")
PASSWORD_HASHES = ("standard", "fast")
MIN_SECRET_BYTES = 32


def _environment(config: dict, secret: str | None) -> bool:
    """Check NEXI_ENV (set to "production" when unset) and the secret it needs; True in production.

    A misspelt value (`Production`) or an unset one must never fall back to the development key,
    non-Secure cookies and demo seeding: the first stops the app, the second runs as production."""
    env = config["NEXI_ENV"]
    if env and env not in ENVIRONMENTS:
        raise RuntimeError(f"NEXI_ENV has an invalid value: {env!r} (one of {', '.join(ENVIRONMENTS)})")
    if not env:
        if not secret or len(secret.encode()) < MIN_SECRET_BYTES:
            raise RuntimeError(
                f"NEXI_ENV is not set: set it (development, test or production), or set NEXI_SECRET_KEY "
                f"(at least {MIN_SECRET_BYTES} bytes) to run as production"
            )
        config["NEXI_ENV"] = env = "production"
    if env == "production":
        if not secret:
            raise RuntimeError("NEXI_SECRET_KEY must be set when NEXI_ENV=production")
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise RuntimeError(f"NEXI_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes when NEXI_ENV=production")
    return env == "production"


def _otp_keys(raw: str | None, production: bool) -> tuple[str, ...]:
    """NEXI_OTP_KEY: Fernet keys separated by commas, the first encrypting, all decrypting (key
    rotation, README). Empty outside production: nexi/auth/otp.py then derives one from the secret key."""
    keys = tuple(key.strip() for key in (raw or "").split(",") if key.strip())
    if not keys:
        if production:
            raise RuntimeError("NEXI_OTP_KEY must be set when NEXI_ENV=production (see the README: key rotation)")
        return ()
    for key in keys:
        try:
            valid = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            valid = False
        if not valid:
            raise RuntimeError("NEXI_OTP_KEY has an invalid value: each key is 32 url-safe base64-encoded bytes")
    return keys
