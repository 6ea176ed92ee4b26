"""`make bench-scales`: does the list cost the same with a million applications as with ten thousand?

The target: Web申込状況一覧's first page at the large scale within 1.3 × its time at the small one.
This VM's speed drifts by a third within an hour, so two separate runs compare only roughly (runs
15 minutes apart read ×1.9 for the same code). Here both datasets are served side by side, each by
its own gunicorn with the production settings, and each scenario is measured on them in turn
(small, large, large, small, …). Each pair of runs is taken in the same phase of the machine; the
table gives each scale's median p50 and the median of the pairs' ratios, which the mark judges.

Environment: as `make bench` (bench/__main__.py), and
  NEXI_BENCH_SECONDS   seconds per measurement (default 5)
  NEXI_BENCH_ROUNDS    pairs of measurements per scenario (default 4)
  NEXI_BENCH_REUSE     1 = keep the existing datasets (the large one takes minutes to generate)
On PostgreSQL the two datasets live in databases of their own on the server (nexi_bench_small,
nexi_bench_large). Results: a table on stdout, and bench/results/scales-<database>.md and .json.
"""

import json
import os
import statistics
from datetime import UTC, datetime

import bench.__main__ as bench_run
from bench import load, measure, server

SCENARIOS = ("status_first", "status_open", "status_filtered", "user_page", "buyer_search")
LIMIT = 1.3  # large ÷ small, the bound


def dataset_url(scale: str) -> str:
    base = bench_run.server_url()
    return server.database(base, f"nexi_bench_{scale}") if base else bench_run.sqlite_url(scale)


def main() -> None:
    config = bench_run.settings() | {  # connections, reuse and only as `make bench` reads them
        "seconds": int(os.environ.get("NEXI_BENCH_SECONDS", "5")),
        "rounds": int(os.environ.get("NEXI_BENCH_ROUNDS", "4")),
    }
    urls = {scale: dataset_url(scale) for scale in ("small", "large")}
    database = server.kind(urls["small"])
    print(f"bench-scales: database={database} seconds={config['seconds']} rounds={config['rounds']}", flush=True)
    for scale, url in urls.items():
        bench_run.prepare_dataset({"scale": scale, "url": url, "reuse": config["reuse"]})
    rows = []
    with (
        server.gunicorn("wsgi:app", server.environment(urls["small"])) as small,
        server.gunicorn("wsgi:app", server.environment(urls["large"])) as large,
    ):
        portals = {"small": small.url, "large": large.url}
        for name in SCENARIOS:
            if not config["only"] or name in config["only"]:
                rows.append(compare(name, portals, config))
                print(line(rows[-1]), flush=True)
    report = {"database": database, "measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "scenarios": rows}
    markdown = table(report, config)
    print()
    print(markdown)
    bench_run.RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    (bench_run.RESULTS / f"scales-{database}.json").write_text(text, encoding="utf-8")
    (bench_run.RESULTS / f"scales-{database}.md").write_text(markdown + "\n", encoding="utf-8")


def compare(name: str, portals: dict, config: dict) -> dict:
    """Pairs of runs of one scenario, the order flipped each round so that a drift of the machine's
    speed within a round favours neither scale."""
    p50 = {"small": [], "large": []}
    for round_ in range(config["rounds"]):
        order = ("small", "large") if round_ % 2 == 0 else ("large", "small")
        for scale in order:
            result = load.run_scenario(portals[scale], name, config)
            if result["failed"]:
                raise SystemExit(f"{name} at {scale} scale: {result['failed']} requests failed")
            p50[scale].append(result["p50_ms"])
    ratios = [large / small for small, large in zip(p50["small"], p50["large"], strict=True)]
    sql = {scale: measure.one_request(url, name)["sql"] for scale, url in portals.items()}
    return {
        "name": name,
        "p50_small_ms": round(statistics.median(p50["small"]), 1),
        "p50_large_ms": round(statistics.median(p50["large"]), 1),
        "ratio": round(statistics.median(ratios), 2),
        "ratios": [round(ratio, 2) for ratio in ratios],
        "sql_small": sql["small"],
        "sql_large": sql["large"],
    }


def line(row: dict) -> str:
    return (
        f"  {row['name']:<16} p50 small {row['p50_small_ms']:>6.1f} ms  large {row['p50_large_ms']:>6.1f} ms  "
        f"×{row['ratio']:.2f} (pairs {', '.join(f'{r:.2f}' for r in row['ratios'])})  "
        f"SQL {row['sql_small']} / {row['sql_large']}"
    )


def table(report: dict, config: dict) -> str:
    mark = measure.mark
    lines = [
        f"### make bench-scales — {report['database']}, {config['connections']} connections, "
        f"{config['rounds']} pairs of {config['seconds']} s per scenario",
        "",
        "| scenario | p50 small ms | p50 large ms | large ÷ small (median of pairs) | pairs | SQL small / large |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for row in report["scenarios"]:
        same_sql = row["sql_small"] == row["sql_large"]
        lines.append(
            f"| {row['name']} | {row['p50_small_ms']} | {row['p50_large_ms']} | ×{row['ratio']:.2f} "
            f"{mark(row['ratio'] <= LIMIT)} (≤ {LIMIT}) | {', '.join(f'{r:.2f}' for r in row['ratios'])} "
            f"| {row['sql_small']} / {row['sql_large']} {mark(same_sql)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
