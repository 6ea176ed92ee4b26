"""`make bench`: the portal under load, at a realistic data volume, against a bare Flask ceiling.

Environment:
  NEXI_BENCH_SCALE        small (10,000 applications, default) or large (1,000,000)
  NEXI_BENCH_SECONDS      seconds per scenario (default 10)
  NEXI_BENCH_CONNECTIONS  concurrent connections, each its own logged-in session (default 16)
  NEXI_BENCH_REUSE        1 = keep an existing dataset of the same scale instead of regenerating
  NEXI_BENCH_ONLY         scenario names, comma-separated, to run only those (while working on them)
  NEXI_DATABASE_URL       a PostgreSQL URL to bench on (default: SQLite under instance/);
                          `make bench NEXI_BENCH_DB=postgresql` starts a throwaway server instead
  NEXI_WORKERS, NEXI_THREADS  gunicorn, as in production (gunicorn.conf.py)

Everything runs on 127.0.0.1 and is bounded in time. Results: a table on stdout, and
bench/results/latest.md and latest.json.
"""

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import dataset, floor, load, measure, server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

SCENARIOS = [
    # name, what it is, kind (read scenarios have the p99 target), ratio target
    ("login_page", "ログイン画面 (GET, whole page)", "read", None),
    ("user_page", "ユーザーページ (POST → 303 → GET, whole page)", "read", 0.35),
    ("notices_page2", "お知らせ一覧 2ページ目 (htmx fragment)", "read", 0.5),
    ("status_open", "Web申込状況一覧を開く (menu → screen, htmx)", "read", None),
    ("status_first", "Web申込状況一覧 1ページ目 (htmx fragment #application-list)", "read", 0.5),
    ("status_filtered", "Web申込状況一覧 絞り込み (htmx fragment #application-list)", "read", 0.5),
    ("estimate", "保険料試算 試算する (6-3 case 4: result, chart, htmx)", "read", None),
    ("buyer_registration", "海外商社新規登録 B01 一式 (7 POSTs, htmx)", "flow", None),
    ("buyer_search", "海外商社情報 名称で検索 (5-1, htmx)", "read", None),
]
# a scenario's entries in latest.json
REPORTED = ("name", "rps", "p50_ms", "p99_ms", "bytes", "bytes_gzip", "sql", "ratio", "floor_ratio")


def settings() -> dict:
    scale = os.environ.get("NEXI_BENCH_SCALE", "small")
    if scale not in dataset.SCALES:
        sys.exit(f"NEXI_BENCH_SCALE must be one of {', '.join(dataset.SCALES)}")
    url = server_url() or sqlite_url(scale)
    connections = int(os.environ.get("NEXI_BENCH_CONNECTIONS", "16"))
    if connections > dataset.BENCH_USERS - 1:
        sys.exit(f"NEXI_BENCH_CONNECTIONS must be at most {dataset.BENCH_USERS - 1}")
    return {
        "scale": scale,
        "url": url,
        "database": server.kind(url),
        "seconds": int(os.environ.get("NEXI_BENCH_SECONDS", "10")),
        "connections": connections,
        "reuse": os.environ.get("NEXI_BENCH_REUSE") == "1",
        "only": [name for name in os.environ.get("NEXI_BENCH_ONLY", "").split(",") if name],
    }


def server_url() -> str | None:
    """The database server to bench on, when not SQLite."""
    return os.environ.get("NEXI_DATABASE_URL") or os.environ.get("POSTGRES_URL")


def sqlite_url(scale: str) -> str:
    (ROOT / "instance").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'instance' / f'bench-{scale}.sqlite3'}"


def prepare_dataset(config: dict) -> None:
    from nexi import create_app

    app = create_app({"NEXI_DATABASE_URL": config["url"]})
    with app.app_context():
        if config["reuse"] and dataset.present(config["scale"]):
            upgraded = " and migrated to the newest schema" if dataset.bring_up_to_date() else ""
            print(f"dataset {config['scale']}: reused (NEXI_BENCH_REUSE=1){upgraded}", flush=True)
            return
        print(f"generating the {config['scale']} dataset …", flush=True)
        print(dataset.describe(dataset.generate(config["scale"])), flush=True)
    app.extensions["nexi_engine"].dispose()


def main() -> None:
    config = settings()
    print(
        f"bench: scale={config['scale']} database={config['database']} seconds={config['seconds']} "
        f"connections={config['connections']}",
        flush=True,
    )
    prepare_dataset(config)
    environment = server.environment(config["url"])
    rows = []
    with server.gunicorn("bench.ceiling:app", environment) as ceiling:
        ceiling_result = load.run_ceiling(ceiling.url, config)
    print(f"ceiling (bare Flask, same server settings): {ceiling_result['rps']:.0f} req/s", flush=True)
    framework_result = _reference("framework alone", "bench.floor:create_app(database=False)", environment, config)
    floor.prepare(config["url"])
    try:
        floor_result = _reference("stack floor", "bench.floor:create_app()", environment, config)
    finally:
        floor.clean_up(config["url"])
    with server.gunicorn("wsgi:app", environment) as portal:
        for name, description, kind, target in SCENARIOS:
            if config["only"] and name not in config["only"]:
                continue
            result = load.run_scenario(portal.url, name, config)
            result.update(measure.one_request(portal.url, name))
            result["ratio"] = round(result["rps"] / ceiling_result["rps"], 2)
            result["floor_ratio"] = round(result["rps"] / floor_result["rps"], 2)
            result.update(description=description, kind=kind, ratio_target=target)
            rows.append(result)
            print(measure.line(result), flush=True)
        drift = _speed_drift(portal.url, rows, config)
        weight = measure.page_weight(portal.url)
        rss = portal.worker_rss_mb()
    report = {
        "scale": config["scale"],
        "database": config["database"],
        "ceiling_rps": round(ceiling_result["rps"], 1),
        "floor_rps": round(floor_result["rps"], 1),
        "framework_rps": round(framework_result["rps"], 1),
        "scenarios": [{key: row[key] for key in REPORTED} for row in rows],
        "page_weight_gzip": weight["total"],
        "worker_rss_mb": rss,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if drift is not None:
        report["login_page_rps_at_end"] = drift
    markdown = measure.table(report, rows, weight, config)
    print()
    print(markdown)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    (RESULTS / "latest.md").write_text(markdown + "\n", encoding="utf-8")
    print("(the list's cost at large scale against small, measured side by side: make bench-scales)")


def _reference(name: str, app: str, environment: dict, config: dict) -> dict:
    """One of the stack's own references (bench/floor.py), served like the portal."""
    with server.gunicorn(app, environment) as stack:
        result = load.run_floor(stack.url, config)
    if result["failed"]:
        sys.exit(f"the {name} answered {result['failed']} requests wrongly: see bench/floor.py")
    print(f"{name} (bench/floor.py): {result['rps']:.0f} req/s", flush=True)
    return result


def _speed_drift(url: str, rows: list[dict], config: dict) -> float | None:
    """The login page measured again after the other scenarios (req/s), when it was measured
    first: this VM's speed drifts by a third within an hour, and the table says whether it
    drifted during the run. The bare ceiling would not show it (it moved 7 % where the portal
    moved 30–40 %); the login page is the portal's own Python without the database."""
    if not rows or rows[0]["name"] != "login_page":
        return None
    return round(load.run_scenario(url, "login_page", config)["rps"], 1)


if __name__ == "__main__":
    main()
