"""Login attempts per client address (issue 14 "Login hardening").

Each password or one-time password submitted counts once for the address it came from (the real
client behind the proxy, `NEXI_PROXY_HOPS`) in fixed windows of `NEXI_LOGIN_RATE_SECONDS`; past
`NEXI_LOGIN_RATE` in one window the attempt is refused before any password is checked. The counts
are rows in the database, so every worker and every host shares them. The per-ID lockout (3-1)
stays the main defence; this one slows the same address trying many IDs.
"""

import time

from flask import current_app, request
from sqlmodel import col, delete

from nexi import db
from nexi.models.auth import LoginThrottle


def allow() -> bool:
    """Count this attempt; False when its address has used up its attempts for now."""
    config = current_app.config
    window = int(time.time()) // config["NEXI_LOGIN_RATE_SECONDS"]
    address = (request.remote_addr or "unknown")[:45]
    table = LoginThrottle.__table__
    statement = (
        db.insert(table)
        .values(address=address, window=window, count=1)
        .on_conflict_do_update(index_elements=[table.c.address, table.c.window], set_={"count": table.c.count + 1})
        .returning(table.c.count)
    )
    count = db.session().execute(statement).scalar_one()
    if count == 1:  # the address's first attempt of this window: forget every finished window
        db.session().exec(delete(LoginThrottle).where(col(LoginThrottle.window) < window))
    return count <= config["NEXI_LOGIN_RATE"]
