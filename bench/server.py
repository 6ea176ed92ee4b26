"""gunicorn on 127.0.0.1 with the production settings of gunicorn.conf.py, and the databases of the
bench's datasets on a PostgreSQL server."""

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


def environment(database_url: str) -> dict:
    """How the bench serves an app (the portal, the ceiling, the floor): the production settings,
    on `database_url`, with its SQL statements counted (the X-SQL-Count header). Its sessions all log
    in from 127.0.0.1, so the login throttle is set far above what they need."""
    return {
        "NEXI_DATABASE_URL": database_url,
        "NEXI_ENV": "production",
        "NEXI_SECRET_KEY": secrets.token_hex(32),
        "NEXI_OTP_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NEXI_LOGIN_RATE": "1000000",
        "NEXI_SQL_COUNT": "1",
    }


def kind(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


def database(server_url: str, name: str, fresh: bool = False) -> str:
    """The URL of database `name` on the PostgreSQL server of `server_url`, created when missing
    (dropped first when `fresh`): the bench's datasets never share the server's own database."""
    if fresh:
        drop_database(server_url, name)
    with _server(server_url) as connection:
        if not connection.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}).first():
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    with _server(server_url) as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def _server(server_url: str):
    """A connection outside any transaction: CREATE and DROP DATABASE need one."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process = process
        self.url = f"http://127.0.0.1:{port}"

    def worker_rss_mb(self) -> float:
        """The largest resident set of the workers (the master only forks and watches)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        sizes = []
        for child in children:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return round(max(sizes), 1) if sizes else 0.0


@contextmanager
def gunicorn(app: str, environment: dict):
    port = free_port()
    env = {**os.environ, **environment, "NEXI_BIND": f"127.0.0.1:{port}", "NEXI_LOG_LEVEL": "warning"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--no-control-socket", app],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.1)
        time.sleep(0.5)  # let every worker finish booting
        yield Server(process, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
