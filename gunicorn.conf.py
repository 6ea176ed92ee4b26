"""gunicorn settings for `make run`, `make bench` and production.

Environment: NEXI_PORT (8000), NEXI_BIND (overrides host:port), NEXI_WORKERS (default: one per
core, plus one), NEXI_THREADS (default 1). The control socket is off: several servers (a
developer's, the tests', the bench's) may run on one machine.

Sync workers, one request per process at a time: the work is CPU-bound Python, so threads share
one GIL, and a thread holding SQLite's write lock waited behind its siblings' rendering (in the
bench, 4 threads per worker gave 30 % fewer pages and twice the p99 of sync workers). The extra
worker runs while another waits for the database. Sync workers expect a buffering reverse proxy
(nginx) in front in production, as gunicorn's documentation says; NEXI_THREADS > 1 switches to
gthread workers for a deployment without one.
"""

import multiprocessing
import os

bind = os.environ.get("NEXI_BIND") or f"127.0.0.1:{os.environ.get('NEXI_PORT', '8000')}"
workers = int(os.environ.get("NEXI_WORKERS") or multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("NEXI_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
control_socket_disable = True
accesslog = os.environ.get("NEXI_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("NEXI_LOG_LEVEL", "info")
timeout = 60
graceful_timeout = 10
keepalive = 5
# Each worker builds its own app (and engine) after the fork.
preload_app = False


def post_fork(server, worker):
    """Keep workers small: big blocks (argon2id hashes 19 MiB per login) always go back to the
    system when freed, and at most two malloc arenas are kept however many threads run."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD: no dynamic raise of the threshold
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def post_worker_init(worker):
    """Once the worker has built the app: what lives as long as the process (modules, the app,
    its templates and statements) is moved by gc.freeze() to a generation that collections
    ignore, so that a full collection no longer walks ~100,000 objects (pauses of up to ~50 ms,
    measured in-process on the list screen)."""
    import gc

    gc.collect()
    gc.freeze()
