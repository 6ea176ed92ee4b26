"""Drive the portal with wrk (Debian's): one logged-in session per connection, each following
its navigation token, bounded by NEXI_BENCH_SECONDS."""

import json
import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.client import Client
from bench.dataset import BENCH_PASSWORD

SCRIPT = Path(__file__).with_name("load.lua")
WARM_UP_SECONDS = 2


def _wrk(url: str, scenario: str, config: dict, sessions: Path | None, seconds: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (apt-get install wrk; `make bench` does it)")
    today = date.today()
    connections = config["connections"]
    command = [
        wrk,
        f"-t{connections}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        scenario,
        str(sessions or "/dev/null"),
        (today - timedelta(days=100)).isoformat(),
        (today - timedelta(days=90)).isoformat(),
        today.isoformat(),
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def _sessions(url: str, scenario: str, config: dict) -> Path:
    """Log in one bench user per connection and bring each to the scenario's first screen."""
    lines = []
    for n in range(config["connections"]):
        client = Client(url)
        client.login(f"bench-{n:02}", BENCH_PASSWORD)
        if scenario == "notices_page2":
            client.post("/notices", [("page", "1")])
        elif scenario in ("status_first", "status_filtered"):  # the list's own requests, on its screen
            client.post("/status/")
        elif scenario == "estimate":
            client.post("/estimate/")
        elif scenario == "buyer_search":
            client.post("/inquiry/")
            client.post("/inquiry/buyers")
        lines.append(f"{client.cookie}\t{client.csrf}\t{client.token}")
    return _sessions_file(lines)


def _sessions_file(lines: list[str]) -> Path:
    """The sessions file load.lua reads: one line per connection (cookie, CSRF token, nav token)."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False)
    handle.write("\n".join(lines) + "\n")
    handle.close()
    return Path(handle.name)


def _summarise(result: dict, per_view: int = 1) -> dict:
    seconds = result["duration_us"] / 1_000_000
    return {
        "rps": round(result["requests"] / seconds / per_view, 1),
        "p50_ms": round(result["p50_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1),
        "requests": result["requests"],
        "failed": result["errors"] + result["bad"],
    }


def run_ceiling(url: str, config: dict) -> dict:
    _wrk(url, "ceiling", config, None, WARM_UP_SECONDS)
    return _summarise(_wrk(url, "ceiling", config, None, config["seconds"]))


def run_floor(url: str, config: dict) -> dict:
    """One of the stack's references (bench/floor.py, with or without the database): every
    connection posts with one logged-in session."""
    client = Client(url)
    csrf = client.request("GET", "/setup").text
    sessions = _sessions_file([f"{client.cookie}\t{csrf}\t-"] * config["connections"])
    try:
        _wrk(url, "floor", config, sessions, WARM_UP_SECONDS)
        return _summarise(_wrk(url, "floor", config, sessions, config["seconds"]))
    finally:
        sessions.unlink()


def run_scenario(url: str, name: str, config: dict) -> dict:
    needs_session = name != "login_page"
    warm = _sessions(url, name, config) if needs_session else None
    _wrk(url, name, config, warm, WARM_UP_SECONDS)
    measured = _sessions(url, name, config) if needs_session else None
    result = _wrk(url, name, config, measured, config["seconds"])
    for path in (warm, measured):
        if path:
            path.unlink()
    return {"name": name, **_summarise(result, per_view=requests_per_view(name))}


def requests_per_view(name: str) -> int:
    """The user page is two requests without JavaScript (the POST, then the GET it redirects to):
    its rate counts whole pages shown. Every other scenario's rate counts requests."""
    return 2 if name == "user_page" else 1
