"""The bench dataset: years of applications, a large buyer register, many customers and notices,
generated with bulk inserts into the bench's own database (never the demo one).

| scale | applications | buyers  | customers | notices |
|-------|--------------|---------|-----------|---------|
| small | 10,000       | 2,000   | 20        | 200     |
| large | 1,000,000    | 100,000 | 2,000     | 5,000   |

At both scales the first customer (保険利用者コード 100000001) has exactly 10,000 applications
over the last year and BENCH_USERS 管理者 users (bench-00 …), one per load connection: a new login
ends the same user's older session, so every connection needs its own user.
"""

import json
import random
import time
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import SQLModel

from nexi import db
from nexi.clock import JST, now
from nexi.masters import COUNTRIES
from nexi.models import Application, Buyer, Customer, Notice, Sequence, WebUser
from nexi.procedures.buyers.rules import name_key
from nexi.security import hash_password, login_key

SCALES = {
    "small": {"applications": 10_000, "buyers": 2_000, "customers": 20, "notices": 200},
    "large": {"applications": 1_000_000, "buyers": 100_000, "customers": 2_000, "notices": 5_000},
}
BENCH_USERS = 32
BENCH_PASSWORD = "BenchPass#2026"
BATCH = 20_000
PROCEDURES = ["B01", "B02", "B03", "B04", "B05"]
STATUSES = ["draft", "submitted", "reviewing", "returned", "completed", "completed", "completed", "rejected",
            "withdrawn"]  # fmt: skip
VALUES = {
    "B01": {"buyer": {"name_en": "BENCH BUYER LTD", "country": "304", "address": "1 Main Street", "city": "Boston"},
            "company": {"office_type": "head", "industry": "商社", "established": "1990"},
            "report": {"desired_class": "E", "report_mode": "request", "fee_ack": "y", "fiscal_end": "2026-03-31"},
            "plan": {"product": "01", "planned_amount": "100,000", "planned_currency": "USD",
                     "payment_terms": "その他", "usance": "90"}},
    "B02": {"target": {"buyer_code": "304-000001", "reason": "財務改善"}, "report": {"report_mode": "request",
                                                                                  "fee_ack": "y"}},
    "B03": {"change": {"buyer_code": "304-000001", "change_kind": "name", "new_name_en": "NEW NAME LTD",
                       "reason": "社名変更"}},
    "B04": {"head": {"head_code": "304-000001", "action": "delete", "relation": "branch"},
            "delete": {"target_code": "304-000002", "delete_reason": "閉鎖"}},
    "B05": {"release": {"buyer_code": "304-000001", "release_reason": "取引再開", "plan_product": "01",
                        "plan_month": "2027-01", "plan_amount": "1000", "plan_currency": "USD"}},
}  # fmt: skip


def _reset_schema() -> None:
    engine = db.engine()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            # another session still using the tables (a portal left running on this database)
            # makes this an error instead of a wait without end
            connection.execute(text("SET LOCAL lock_timeout = '30s'"))
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        SQLModel.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    from nexi.cli import upgrade_database

    upgrade_database()


def _insert(table, rows: list[dict]) -> None:
    with db.engine().begin() as connection:
        for start in range(0, len(rows), BATCH):
            connection.execute(table.__table__.insert(), rows[start : start + BATCH])


def generate(scale: str, seed: int = 20261125, sizes: dict | None = None) -> dict:
    """Fill the configured database with the dataset of `scale` (or of other `sizes`, named
    `scale`: the bench's own tests use a few hundred applications); returns counts and seconds."""
    sizes = sizes or SCALES[scale]
    rng = random.Random(seed)
    started = time.perf_counter()
    _reset_schema()
    moment = now()
    created = moment - timedelta(days=400)

    customers = [
        {"id": n, "code": f"{100000000 + n}", "name_ja": f"ベンチ商事{n}株式会社", "name_en": f"BENCH TRADING {n}",
         "postal_code": "100-0001", "address_ja": "東京都千代田区1-1-1", "address_en": "", "representative": "",
         "corporate_number": "", "is_sme": False, "is_agri": False, "contact_department": "", "contact_person": "",
         "contact_phone": "", "contact_email": ""}
        for n in range(1, sizes["customers"] + 1)
    ]  # fmt: skip
    _insert(Customer, customers)

    password = hash_password(BENCH_PASSWORD)
    users = [(1, f"bench-{n:02}") for n in range(BENCH_USERS)]
    users += [(customer["id"], f"admin-{customer['id']:05}") for customer in customers[1:]]
    _insert(WebUser, [
        {"id": index + 1, "customer_id": customer_id, "login_id": login, "login_key": login_key(login),
         "name": f"利用者{index}", "department": "", "phone": "", "email": "", "role": "admin", "active": True,
         "password_hash": password, "temporary_password": False, "otp_enabled": False, "created_at": created}
        for index, (customer_id, login) in enumerate(users)
    ])  # fmt: skip
    bench_users = list(range(1, BENCH_USERS + 1))
    first_user_of = {customer["id"]: BENCH_USERS + index for index, customer in enumerate(customers[1:], 1)}

    codes = [code for code, *_ in COUNTRIES if code != "224"]
    serials: dict[str, int] = defaultdict(int)
    buyers = []
    for n in range(sizes["buyers"]):
        country = codes[n % len(codes)]
        serials[country] += 1
        name = f"BENCH BUYER {n:06d} TRADING CO., LTD."
        buyers.append({
            "code": f"{country}-{serials[country]:06d}", "name_en": name, "name_key": name_key(name), "alias": "",
            "country_code": country, "address": f"{n} Commerce Street", "city": "Metropolis", "state": "",
            "postal_code": "", "relation": "", "industry": "商社", "rating": rng.choice(["EE", "EA", "EM", "EF", "SA"]),
            "rated_on": (moment - timedelta(days=200)).date(), "limit_amount": None, "status": "登録",
            "deleted_reason": "", "registered_at": created,
        })  # fmt: skip
    _insert(Buyer, buyers)
    sequences = {f"buyer:{country}": value for country, value in serials.items()}

    notices = []
    for n in range(sizes["notices"]):
        publish = moment - timedelta(hours=n * 7 + 1)
        notices.append(
            {
                "title": f"ベンチマーク用のお知らせ {n}",
                "body": "お知らせの本文です。\n2行目です。",
                "category": "システム",
                "publish_at": publish,
                "expire_at": publish + timedelta(days=30) if n % 10 == 9 else None,
            }
        )
    _insert(Notice, notices)

    daily: dict[str, int] = defaultdict(int)
    rows = []
    bench_company = min(10_000, sizes["applications"])
    for n in range(sizes["applications"]):
        if n < bench_company:
            customer_id, user_id = 1, bench_users[n % BENCH_USERS]
        else:
            customer_id = 2 + (n % (sizes["customers"] - 1))
            user_id = first_user_of[customer_id]
        procedure = PROCEDURES[n % len(PROCEDURES)]
        status = STATUSES[rng.randrange(len(STATUSES))]
        saved = moment - timedelta(seconds=rng.randrange(365 * 24 * 3600))
        day = saved.astimezone(JST).strftime("%Y%m%d")
        daily[day] += 1
        submitted = None if status == "draft" else saved + timedelta(minutes=5)
        rows.append({
            "number": f"W{day}{daily[day]:06d}", "customer_id": customer_id, "user_id": user_id,
            "procedure": procedure, "status": status, "data": {"values": VALUES[procedure], "files": {}},
            "target": "304-000001 BENCH BUYER 000000 TRADING CO., LTD.", "target_key": "304-000001",
            "created_at": saved, "saved_at": saved, "submitted_at": submitted, "listed_at": submitted or saved,
            "updated_at": (submitted or saved) + timedelta(days=rng.randrange(3)), "overdue": False,
            "needs_review": True, "comment": "差戻しの理由です。" if status == "returned" else None, "result": {},
        })  # fmt: skip
        if len(rows) == BATCH:
            _insert(Application, rows)
            rows = []
    _insert(Application, rows)
    sequences.update({f"web:{day}": value for day, value in daily.items()})
    _insert(Sequence, [{"name": name, "value": value} for name, value in sequences.items()])
    _analyze()
    return {"scale": scale, **sizes, "seconds": round(time.perf_counter() - started, 1)}


def present(scale: str) -> bool:
    """Whether the database already holds a complete dataset of this scale.

    Counted on a connection of its own, closed at once: on PostgreSQL a transaction left open
    would keep its lock on the table, and the generation that follows (DROP SCHEMA) would wait
    for it for ever."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import func, select

    try:
        with db.engine().connect() as connection:
            count = connection.execute(select(func.count()).select_from(Application)).scalar_one()
    except SQLAlchemyError:  # no schema yet
        return False
    return count >= SCALES[scale]["applications"]


def bring_up_to_date() -> bool:
    """Apply migrations newer than a reused dataset (and analyse again if any ran)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from nexi.cli import alembic_config, upgrade_database

    with db.engine().connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == ScriptDirectory.from_config(alembic_config()).get_current_head():
        return False
    upgrade_database()
    _analyze()
    return True


def _analyze() -> None:
    """Statistics for the planners, and on PostgreSQL the state autovacuum keeps a live database
    in: a visibility map that lets counts read the list's indexes alone (index-only scans). A
    VACUUM right after the bulk load may leave it unset (the loaded rows are not yet visible to
    every transaction that might be running); it is repeated, briefly, until it takes."""
    engine = db.engine()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    if engine.dialect.name != "postgresql":
        return
    visible = text("SELECT relpages <= relallvisible FROM pg_class WHERE relname = 'application'")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for _attempt in range(30):
            connection.execute(text("VACUUM ANALYZE"))
            if connection.execute(visible).scalar_one():
                return
            time.sleep(1)
    print("note: VACUUM left the visibility map incomplete; counts may read the table", flush=True)


def describe(result: dict) -> str:
    return (
        f"dataset {result['scale']}: {result['applications']:,} applications, {result['buyers']:,} buyers, "
        f"{result['customers']:,} customers, {result['notices']:,} notices in {result['seconds']} s"
    )


if __name__ == "__main__":  # pragma: no cover - python -m bench.dataset small
    import sys

    from nexi import create_app

    app = create_app()
    with app.app_context():
        print(json.dumps(generate(sys.argv[1] if len(sys.argv) > 1 else "small")))
