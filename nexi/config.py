"""NEXI_* settings read from the environment, with safe defaults (DOMAIN.md C.8).

Every setting is parsed once at start-up; a malformed value stops the app with a message naming
the variable, instead of failing later inside a request.
"""

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"

# name: (parser, default)
_SETTINGS = {
    "NEXI_ENV": (str, "development"),
    "NEXI_DATABASE_URL": (str, f"sqlite:///{INSTANCE_DIR / 'nexi.sqlite3'}"),
    "NEXI_NOW": (str, ""),
    "NEXI_LOCKOUT_THRESHOLD": (int, 5),
    "NEXI_IDLE_TIMEOUT_SECONDS": (int, 1800),
    "NEXI_OTP_PENDING_SECONDS": (int, 300),
    "NEXI_NOTICES_PAGE_SIZE": (int, 10),
    "NEXI_NOTICE_CACHE_SECONDS": (int, 60),
    "NEXI_PAGE_SIZE": (int, 20),
    "NEXI_DRAFT_EXPIRY_DAYS": (int, 30),
    "NEXI_PURGE_MONTHS": (int, 12),
    "NEXI_SLEEPING_MONTHS": (int, 24),
    "NEXI_SLEEPING_RELEASE_DAYS": (int, 60),
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
    config.update(overrides or {})
    blocklist = config["NEXI_PASSWORD_BLOCKLIST"]
    if blocklist and not Path(blocklist).is_file():
        raise RuntimeError(f"NEXI_PASSWORD_BLOCKLIST names no readable file: {blocklist!r}")

    production = config["NEXI_ENV"] == "production"
    secret = (
        config.get("SECRET_KEY")
        or config.get("NEXI_SECRET_KEY")
        or environ.get("NEXI_SECRET_KEY")
        or environ.get("SECRET_KEY")
    )
    if not secret:
        if production:
            raise RuntimeError("NEXI_SECRET_KEY must be set when NEXI_ENV=production")
        secret = "development-only-secret-key-not-for-production"
    config["SECRET_KEY"] = secret
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("SESSION_COOKIE_SECURE", production)
    config.setdefault("SESSION_COOKIE_NAME", "nexi_session")
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the login session
    config.setdefault(
        "MAX_CONTENT_LENGTH", config["NEXI_UPLOAD_MAX_BYTES"] * config["NEXI_UPLOAD_MAX_FILES"] + (1 << 20)
    )
    config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 365 * 24 * 3600)
    return config
