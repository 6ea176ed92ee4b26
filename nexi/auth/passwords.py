"""Password policy, 仮パスワード and generation (DOMAIN.md 3-2): one core for every login.

The customer portal (⑯ パスワード変更, 3-6 Webユーザー管理) and the NEXI staff login use the same
rules, so nothing here knows a screen: functions take the values they judge and return Japanese
messages, or change the account object they are given.

Policy (after NIST SP 800-63B): 10–64 characters counted after NFKC, any characters (spaces and
Japanese included), not equal to or containing the login ID, not in the blocklist (the bundled
`blocklist.txt` plus the file `NEXI_PASSWORD_BLOCKLIST` names, compared case-insensitively), and
different from the current password. No composition rules, no periodic expiry. Hashing is
nexi/security.py's (the normalised string is hashed, when set and when checked alike).

A password set by someone else (a 管理者, NEXI staff) is a 仮パスワード: it must be changed at the
next login and expires after `NEXI_TEMP_PASSWORD_DAYS`, on the real clock (security timing).
"""

import secrets
import unicodedata
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from flask import current_app

from nexi.clock import real_now
from nexi.security import hash_password, normalize_password, verify_password

MIN_LENGTH = 10
MAX_LENGTH = 64
BUNDLED = Path(__file__).with_name("blocklist.txt")
# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
GENERATED_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
GENERATED_GROUPS, GENERATED_GROUP_LENGTH = 4, 4


def _key(text: str) -> str:
    """How passwords and IDs are compared: NFKC and case-insensitive."""
    return unicodedata.normalize("NFKC", text).casefold()


def length(password: str) -> int:
    """Characters counted after NFKC (a full-width letter is one character, as its half-width)."""
    return len(normalize_password(password))


@cache
def _read(path: str, modified: float) -> frozenset[str]:
    """The entries of one blocklist file (one a line; `#` starts a comment line), compared keys.
    Cached per file and modification time, so an edited list is read again."""
    entries = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            entries.add(_key(line.rstrip("\r\n")))
    return frozenset(entries)


def _entries(path: Path) -> frozenset[str]:
    return _read(str(path), path.stat().st_mtime)


def is_blocked(password: str) -> bool:
    """Whether the password is on the bundled blocklist or the configured one."""
    key = _key(password)
    if key in _entries(BUNDLED) or key.strip() in _entries(BUNDLED):
        return True
    extra = current_app.config.get("NEXI_PASSWORD_BLOCKLIST")
    if extra:
        path = Path(extra)
        if not path.is_file():  # checked at start-up too; a file removed later blocks nothing more
            current_app.logger.warning("NEXI_PASSWORD_BLOCKLIST %s is not a readable file", extra)
            return False
        return key in _entries(path) or key.strip() in _entries(path)
    return False


def problems(password: str, login_id: str, current_hash: str | None = None, *, thing: str = "パスワード") -> list[str]:
    """What is wrong with `password` as the new password of `login_id` (3-2), as messages; empty
    when it may be used. `current_hash` is the password it replaces (None: a first password)."""
    found = []
    count = length(password)
    if not MIN_LENGTH <= count <= MAX_LENGTH:
        found.append(f"{thing}は{MIN_LENGTH}文字以上{MAX_LENGTH}文字以内で入力してください（現在{count}文字）")
    key, user_key = _key(password), _key(login_id).strip()
    if user_key and user_key in key:
        found.append(f"{thing}にWebユーザーIDを含めることはできません")
    if is_blocked(password):
        found.append(f"この{thing}は推測されやすいため使用できません。別の{thing}を入力してください")
    if current_hash and verify_password(current_hash, password):
        found.append(f"{thing}は現在のパスワードと異なるものを入力してください")
    return found


def generate(login_id: str) -> str:
    """A random 仮パスワード that satisfies the policy: four groups of four characters from an
    unambiguous alphabet (about 90 bits), e.g. `Xk7m-Qp3r-Zt9a-Hw2e`."""
    while True:
        password = "-".join(
            "".join(secrets.choice(GENERATED_ALPHABET) for _ in range(GENERATED_GROUP_LENGTH))
            for _ in range(GENERATED_GROUPS)
        )
        if not problems(password, login_id):
            return password


def temporary_days() -> int:
    return current_app.config["NEXI_TEMP_PASSWORD_DAYS"]


def temporary_expires_at(account) -> datetime | None:
    """When the account's 仮パスワード stops working, or None when it has none."""
    if not account.temporary_password:
        return None
    issued = account.temporary_password_at
    if issued is None:  # set before its issue time was kept: counts from now on
        return None
    return issued + timedelta(days=temporary_days())


def temporary_expired(account, moment: datetime | None = None) -> bool:
    """Whether the account holds a 仮パスワード past its validity (it may not log in, 3-2)."""
    expires = temporary_expires_at(account)
    return expires is not None and (moment or real_now()) > expires


def set_password(account, password: str, *, temporary: bool) -> None:
    """Give the account a new password: its own (3-2) or a 仮パスワード set by someone else, which
    must be changed at the next login and expires after NEXI_TEMP_PASSWORD_DAYS."""
    account.password_hash = hash_password(password)
    account.temporary_password = temporary
    account.temporary_password_at = real_now() if temporary else None
