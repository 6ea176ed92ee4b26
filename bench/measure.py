"""Per-scenario facts the load tool does not give (response size, SQL statements per request), the
page weight of the first visit, and the report."""

import gzip
import re
from datetime import date, timedelta

from bench.client import Client
from bench.dataset import BENCH_PASSWORD, BENCH_USERS
from bench.load import requests_per_view

PROBE_USER = f"bench-{BENCH_USERS - 1:02}"  # never one of the load connections
# 6-3 case 4 as 試算する posts it (load.lua the same)
ESTIMATE = [("action", "estimate"), ("product", "04"), ("scope", "post"), ("country", "304"),
            ("rating_mode", "select"), ("rating", "EM"), ("currency", "USD"), ("amount", "250,000.00"),
            ("advance", "12,345.67"), ("usance", "120"), ("post_political", "97.5"), ("post_commercial", "50"),
            ("commodity", "一般")]  # fmt: skip
BUYER_NAME = "buyer 00001"  # 5-1 by part of a name: BENCH BUYER 000010 … 000019 at every scale (load.lua)
B01_STEPS = [
    ("/buyers/register", []),
    ("/procedure/intro", [("action", "next")]),
    ("/procedure/input", [("action", "next"), ("name_en", "PROBE BUYER LTD"), ("country", "304"),
                          ("address", "1 Main Street"), ("city", "Boston")]),
    ("/procedure/input", [("action", "next"), ("office_type", "head"), ("industry", "商社"), ("established", "1990")]),
    ("/procedure/input", [("action", "next"), ("desired_class", "E"), ("report_mode", "request"), ("fee_ack", "y"),
                          ("fiscal_end", (date.today() - timedelta(days=100)).isoformat())]),
    ("/procedure/input", [("action", "next"), ("product", "01"), ("planned_amount", "100,000"),
                          ("planned_currency", "USD"), ("payment_terms", "その他"), ("usance", "90")]),
    ("/procedure/confirm", [("action", "submit")]),
]  # fmt: skip


def _probe(client: Client, name: str):
    today = date.today()
    if name == "login_page":
        return [Client(client_url(client)).request("GET", "/login")]
    if name == "user_page":
        client.post("/home", htmx=False)
        return [client.request("GET", "/")]
    if name == "notices_page2":
        return [client.post("/notices", [("page", "2")], target="notice-list")]
    if name == "status_open":
        return [client.post("/status/")]
    if name == "status_first":
        client.post("/status/")
        return [client.post("/status/page", [("page", "1")], target="application-list")]
    if name == "status_filtered":
        client.post("/status/")
        return [
            client.post(
                "/status/search",
                [
                    ("date_from", (today - timedelta(days=90)).isoformat()),
                    ("date_to", today.isoformat()),
                    ("procedure", "B02"),
                    ("statuses", "submitted"),
                    ("statuses", "reviewing"),
                    ("statuses", "returned"),
                    ("order", "new"),
                ],
                target="application-list",
            )
        ]
    if name == "buyer_registration":
        return [client.post(path, fields) for path, fields in B01_STEPS]
    if name == "estimate":
        client.post("/estimate/")
        return [client.post("/estimate/calculate", ESTIMATE)]
    if name == "buyer_search":
        client.post("/inquiry/")
        client.post("/inquiry/buyers")
        return [client.post("/inquiry/buyers/search", [("code", ""), ("name", BUYER_NAME), ("country", "")])]
    raise ValueError(name)


def client_url(client: Client) -> str:
    return f"http://{client.host}:{client.port}"


def one_request(url: str, name: str) -> dict:
    client = Client(url)
    client.login(PROBE_USER, BENCH_PASSWORD)
    _probe(client, name)  # warm
    responses = _probe(client, name)
    for response in responses:
        if response.status != 200 or 'class="message message--warning"' in response.text:
            raise RuntimeError(f"{name}: unexpected response {response.status}")
    return {
        "bytes": round(sum(len(r.body) for r in responses) / len(responses)),
        # as the reverse proxy in front sends it (README: in production), like the page weight
        "bytes_gzip": round(sum(len(gzip.compress(r.body)) for r in responses) / len(responses)),
        "sql": max(int(r.headers.get("x-sql-count", 0)) for r in responses),
        "sql_each": [int(r.headers.get("x-sql-count", 0)) for r in responses],
    }


def page_weight(url: str) -> dict:
    """Login page + user page + every file they load, as transferred with gzip."""
    client = Client(url)
    sizes = {}
    login = client.request("GET", "/login")
    home = client.login(PROBE_USER, BENCH_PASSWORD)
    sizes["login page"] = len(gzip.compress(login.body))
    sizes["user page"] = len(gzip.compress(home.body))
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', login.text + home.text)))
    static_ok = True
    for asset in assets:
        response = client.request("GET", asset.replace("&amp;", "&"), headers={"Accept-Encoding": "gzip"})
        compressed = response.headers.get("content-encoding") == "gzip"
        sizes[asset.split("?")[0].removeprefix("/static/")] = len(
            response.wire if compressed else gzip.compress(response.body)
        )
        cached = "immutable" in response.headers.get("cache-control", "")
        static_ok = static_ok and cached and (compressed or len(response.body) < 1024 or asset.endswith(".png"))
    return {"total": sum(sizes.values()), "parts": sizes, "static_cached_and_compressed": static_ok}


def line(row: dict) -> str:
    return (
        f"  {row['name']:<20} {row['rps']:>8.1f} req/s  p50 {row['p50_ms']:>6.1f} ms  p99 {row['p99_ms']:>6.1f} ms"
        f"  {row['bytes']:>6} B ({row['bytes_gzip']:>5} gzip)  {row['sql']} SQL  ×{row['ratio']:.2f} (floor ×{row['floor_ratio']:.2f})  failed {row['failed']}"
    )


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def table(report: dict, rows: list[dict], weight: dict, config: dict) -> str:
    lines = [
        f"### make bench — scale {report['scale']}, {report['database']}, {config['connections']} connections, "
        f"{config['seconds']} s per scenario",
        "",
        f"Ceiling (bare Flask page, same gunicorn settings): **{report['ceiling_rps']:.0f} req/s**",
        "",
        f"Framework alone (bench/floor.py without the database: the user from the session cookie, the CSRF "
        f"check, a tiny template): **{report['framework_rps']:.0f} req/s** = ×{_ratio(report, 'framework_rps'):.2f} "
        "of the ceiling: what this stack reaches before any database work",
        "",
        f"Stack floor (the same with one SELECT and one UPDATE in a transaction, on the portal's engine): "
        f"**{report['floor_rps']:.0f} req/s** = ×{_ratio(report, 'floor_rps'):.2f} of the ceiling. The navigation "
        "guard keeps each login's state and token in the database and rotates the token on every request "
        "(DESIGN.md), so no screen can be faster than this; a ratio target above it (per request of the "
        "scenario's page) is marked unreachable on this stack",
        "",
        "| scenario | req/s | p50 ms | p99 ms | bytes | gzip | SQL | × ceiling | × floor | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        checks = []
        if row["ratio_target"] is not None:
            checks.append(f"ratio ≥ {row['ratio_target']} {mark(row['ratio'] >= row['ratio_target'])}")
            bound = _ratio(report, "floor_rps") / requests_per_view(row["name"])
            if row["ratio_target"] > bound:
                checks.append(f"unreachable: the floor reaches ×{bound:.2f}")
        if row["kind"] == "read":
            checks.append(f"p99 ≤ 50 {mark(row['p99_ms'] <= 50)}")
        checks.append(f"SQL ≤ 6 {mark(row['sql'] <= 6)}")
        if row["name"] in ("notices_page2", "status_first", "status_filtered"):  # fragments
            checks.append(f"≤ 8 KB gzip {mark(row['bytes_gzip'] <= 8192)}")
        if row["failed"]:
            checks.append(f"**{row['failed']} failed**")
        lines.append(
            f"| {row['description']} | {row['rps']:.0f} | {row['p50_ms']} | {row['p99_ms']} | {row['bytes']} "
            f"| {row['bytes_gzip']} | {row['sql']} | {row['ratio']:.2f} | {row['floor_ratio']:.2f} | {', '.join(checks)} |"
        )
    lines += [
        "",
        f"Page weight (login page + user page + everything they load, gzip): **{weight['total']:,} B** "
        f"{mark(weight['total'] <= 40 * 1024)} (≤ 40 KB) — "
        + ", ".join(f"{name} {size:,}" for name, size in weight["parts"].items()),
        f"Static files cached for a year and served compressed: {mark(weight['static_cached_and_compressed'])}",
        f"Largest gunicorn worker after the run: **{report['worker_rss_mb']} MB** "
        f"{mark(report['worker_rss_mb'] <= 120)} (≤ 120 MB)",
        *_drift_line(report, rows),
        "",
        "user_page counts whole pages (each a POST answered 303 and the GET it leads to); "
        "buyer_registration counts requests (7 per registration).",
    ]
    return "\n".join(lines)


def _ratio(report: dict, reference: str) -> float:
    """A reference's throughput as a ratio of the ceiling's."""
    return report[reference] / report["ceiling_rps"]


# The login page's rate (the portal's Python without the database) moving by more than this many
# per cent within a run says the machine's speed changed: its first and last timings compare only roughly.
SPEED_TOLERANCE_PERCENT = 10


def _drift_line(report: dict, rows: list[dict]) -> list[str]:
    """How much the machine's speed moved during the run (the login page, first and last)."""
    end = report.get("login_page_rps_at_end")
    if end is None:
        return []
    start = rows[0]["rps"]
    change = (end - start) / start * 100
    warning = (
        " — the machine's speed changed during the run: compare with care"
        if abs(change) > SPEED_TOLERANCE_PERCENT
        else ""
    )
    return [
        f"Speed drift: the login page ran at {start:.0f} req/s first and {end:.0f} req/s last ({change:+.0f} %){warning}"
    ]
