"""Statement budget recipes (tests/http/test_statement_budget.py) contributed by each area of the
portal: a module here defines `RECIPES` (screen → Recipe) and may define `ROWS` (kind → Rows);
the budget test merges them all, so that a new screen adds its recipe next to its own tests."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

STAFF_OWNER = "demo-manager"  # the staff screens (S.1) are rendered in this 管理担当's login


@dataclass(frozen=True)
class Rows:
    make: Callable  # (connection, n): replace the rows of this kind with n of them
    shown: str  # the selector of one row on the screen


@dataclass(frozen=True)
class Recipe:
    args: Callable | None = None  # app → the screen's arguments; None: a procedure screen (the flow)
    rows: tuple[str, ...] = field(default=())  # the kinds of rows it lists
    staff: str = STAFF_OWNER  # for a staff screen: the staff member whose login renders it


def contributed() -> tuple[dict, dict]:
    """(recipes, rows) of every module of this package."""
    recipes, rows = {}, {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        recipes.update(getattr(module, "RECIPES", {}))
        rows.update(getattr(module, "ROWS", {}))
    return recipes, rows
