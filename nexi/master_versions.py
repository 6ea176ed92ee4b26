"""NEXI staff (S.9): every version of the masters M.2–M.4, the §6 tariff and its weights, and new
versions of them, with the rule of the countries (nexi/masters.py): a version whose 適用開始日 has
come is never changed or deleted.

Each master is declared once (`Master`: its table, key, the values copied from the key's versions
and the values staff edit, with their bounds); the screens (nexi/blueprints/staff/masters.py) and
the writers below read the declaration, so the five masters share one set of each. Every write
states in its own statement that the version still starts after the business day and still holds
what the screen showed (`shown`, a snapshot), so a version that took effect or was changed
meanwhile is left as it is; each is audited with before/after and drops the process's copy of
the masters (masters.forget).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from nexi import db
from nexi.audit import audit
from nexi.clock import today
from nexi.masters import SAVED, STALE, TAKEN, delete_future_version, forget, write_future_version
from nexi.models import Commodity, Currency, Rating, Tariff, TariffWeights

__all__ = ["SAVED", "STALE", "TAKEN"]


@dataclass(frozen=True)
class Column:
    """A column as the screens show it and, where staff enter it, its kind and bounds."""

    name: str
    label: str
    kind: str = "decimal"  # decimal (> 0, ≤ maximum, ≤ places decimals), text, choice (ints)
    places: int = 0
    maximum: str = ""
    chars: int = 0  # text: at most so many characters
    pattern: str = ""  # text: the form it must have (a regular expression) …
    pattern_text: str = ""  # … as the message names it
    choices: tuple = ()  # choice: (value, label)
    labels: dict = field(default_factory=dict)  # how a stored value is shown (船積前 for pre)
    hint: str = ""
    entry_label: str = ""  # the label of its input, where not `label`

    def shown(self, value) -> str:
        if value is None:
            return "—"
        if isinstance(value, Decimal):
            return format(value, "f")
        return self.labels.get(value, str(value))


@dataclass(frozen=True)
class Master:
    name: str  # in the screens' state and the audit log
    title: str
    section: str  # where DOMAIN.md defines it
    model: type
    keys: tuple[Column, ...]  # what a version is a version of (none: the one row of weights)
    fixed: tuple[Column, ...]  # shown and copied from the key's versions; entered for a new key
    values: tuple[Column, ...]  # what staff edit in each version
    order: Callable  # a version → its key's place in the lists
    hidden: tuple[str, ...] = ()  # copied, never shown (position: a new key's is the next one)
    new_keys: str = ""  # the button that adds a key with its first version ("" : none)
    editable: Callable = lambda version: True  # whether a key takes new versions
    not_editable: str = ""  # why not, where it does not

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of a version but its id, as a snapshot holds them."""
        return (
            *(c.name for c in (*self.keys, *self.fixed)),
            *self.hidden,
            "valid_from",
            *(c.name for c in self.values),
        )

    def key_of(self, version) -> tuple:
        return tuple(getattr(version, column.name) for column in self.keys)

    def key_text(self, version) -> str:
        """The key as a heading names it: 「USD」, 「船積前・A」; the title for the one weights row."""
        return "・".join(column.shown(getattr(version, column.name)) for column in self.keys) or self.title


PHASES = {"pre": "船積前", "post": "船積後"}
CATEGORIES = "ABCDEFGH"

CURRENCY = Master(
    name="currency",
    title="通貨・換算レート",
    section="M.2",
    model=Currency,
    keys=(
        Column(
            "code",
            "通貨",
            entry_label="通貨コード",
            kind="text",
            chars=3,
            pattern=r"[A-Z]{3}",
            pattern_text="半角英字3文字",
            hint="ISO 4217の通貨コード（半角英字3文字）です。登録後は変更できません。例：KRW",
        ),
    ),
    fixed=(
        Column(
            "decimals",
            "小数（桁）",
            kind="choice",
            choices=((0, "0（小数なし）"), (2, "2")),
            hint="金額の小数点以下の桁数です。登録後は変更できません。",
        ),
    ),
    values=(
        Column(
            "rate", "換算レート（円）", places=6, maximum="1000000", hint="1通貨単位あたりの円です。小数点以下6桁まで。"
        ),
    ),
    order=lambda version: (version.code != "JPY", version.code),
    new_keys="通貨の追加",
)

RATING = Master(
    name="rating",
    title="格付係数",
    section="M.3",
    model=Rating,
    keys=(Column("code", "格付", kind="text"),),
    fixed=(Column("meaning", "意味", kind="text"), Column("cover", "信用危険", kind="text")),
    values=(Column("coefficient", "格付係数", places=2, maximum="100", hint="小数点以下2桁まで。例：1.10"),),
    order=lambda version: (version.position, version.code),
    hidden=("position",),
    editable=lambda version: version.cover in ("可", "枠要"),
    not_editable="信用危険が「不可」の格付には格付係数がありません（非常危険のみ、格付係数1.0で試算します）。",
)

COMMODITY = Master(
    name="commodity",
    title="商品係数",
    section="M.4",
    model=Commodity,
    keys=(Column("name", "商品区分", kind="text", chars=20, hint="登録後は変更できません。例：医薬品"),),
    fixed=(),
    values=(Column("coefficient", "商品係数", places=2, maximum="100", hint="小数点以下2桁まで。例：1.10"),),
    order=lambda version: (version.position, version.name),
    hidden=("position",),
    new_keys="商品区分の追加",
)

TARIFF = Master(
    name="tariff",
    title="基準料率（a・b）",
    section="§6",
    model=Tariff,
    keys=(Column("phase", "区分", kind="text", labels=PHASES), Column("category", "カテゴリー", kind="text")),
    fixed=(),
    values=(
        Column("a", "a（%/日）", places=6, maximum="1", hint="基準料率 = a × X + b の a です。小数点以下6桁まで。"),
        Column("b", "b（%）", places=3, maximum="100", hint="基準料率 = a × X + b の b です。小数点以下3桁まで。"),
    ),
    order=lambda version: (list(PHASES).index(version.phase), version.category),
)

WEIGHTS = Master(
    name="weights",
    title="てん補調整係数の重み（w_p・w_c）",
    section="§6",
    model=TariffWeights,
    keys=(),
    fixed=(),
    values=(
        Column("political", "w_p（非常危険）", places=2, maximum="100", hint="小数点以下2桁まで。例：0.5"),
        Column("commercial", "w_c（信用危険）", places=2, maximum="100", hint="小数点以下2桁まで。例：0.5"),
    ),
    order=lambda version: (),
)

MASTERS = {master.name: master for master in (CURRENCY, RATING, COMMODITY, TARIFF, WEIGHTS)}


def _column(master: Master, name: str):
    return col(getattr(master.model, name))


# --- Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One key of a master with its versions (oldest first), as the staff lists show it."""

    key: tuple
    versions: list
    current: object | None  # valid today
    upcoming: list  # starting after today, soonest first

    @property
    def base(self):
        """What the screens name the key by and a new version starts from: the version valid
        today, else (a key not yet in effect) its latest one."""
        return self.current or self.versions[-1]


def _grouped(master: Master, found: list) -> Key | None:
    if not found:
        return None
    day = today()
    valid = [version for version in found if version.valid_from <= day]
    return Key(
        key=master.key_of(found[0]),
        versions=found,
        current=valid[-1] if valid else None,
        upcoming=[version for version in found if version.valid_from > day],
    )


def keys(master: Master) -> list[Key]:
    """Every key of a master with all its versions, in the master's order: one statement (the
    tables are small and read fresh for the staff console)."""
    statement = select(master.model).order_by(*(_column(master, c.name) for c in master.keys), master.model.valid_from)
    by_key: dict[tuple, list] = {}
    for version in db.session().exec(statement).all():
        by_key.setdefault(master.key_of(version), []).append(version)
    found = [_grouped(master, versions) for versions in by_key.values()]
    return sorted(found, key=lambda key: master.order(key.base))


def one_key(master: Master, value: tuple) -> Key | None:
    """One key with its versions (None: the master has no such key)."""
    conditions = [_column(master, c.name) == part for c, part in zip(master.keys, value, strict=True)]
    statement = select(master.model).where(*conditions).order_by(master.model.valid_from)
    return _grouped(master, list(db.session().exec(statement).all()))


def version(master: Master, version_id) -> object | None:
    return db.session().get(master.model, version_id) if isinstance(version_id, int) else None


def snapshot(master: Master, version) -> dict:
    """A version as the screens keep it and the audit log records it: plain JSON, a date in ISO
    form, a Decimal as its exact text."""
    values = {}
    for name in master.columns:
        value = getattr(version, name)
        if isinstance(value, Decimal):
            value = format(value, "f")
        elif isinstance(value, date):
            value = value.isoformat()
        values[name] = value
    return values


def _plain(master: Master, values: dict) -> dict:
    return snapshot(master, SimpleNamespace(**values))


# --- Writing ---------------------------------------------------------------------------------------


def add_version(master: Master, values: dict, *, staff) -> object | None:
    """A new version of a key (or a new key's first one) from `values` (every column of
    `master.columns`, valid_from a date after today; a new commodity may leave its position to
    be the next one), audited; None when the key has a version of that 適用開始日 already (added
    meanwhile by someone else)."""
    values = dict(values)
    if "position" in master.hidden and values.get("position") is None:
        last = db.session().exec(select(func.max(_column(master, "position")))).one()
        values["position"] = (last or 0) + 1
    added = master.model(**{name: values[name] for name in master.columns})
    if not master.editable(added):
        raise ValueError(f"{master.name} {master.key_of(added)} takes no new versions")
    try:
        with db.session().begin_nested():
            db.session().add(added)
            db.session().flush()
    except IntegrityError:
        return None
    audit(
        "staff.master.added",
        staff=staff,
        master=master.name,
        target=added.id,
        before=None,
        after=snapshot(master, added),
    )
    forget()
    return added


def _as_shown(master: Master, shown: dict) -> list:
    """The condition that a version still holds the values a screen showed."""
    conditions = []
    for name in master.columns:
        value = shown[name]
        if name == "valid_from":
            value = date.fromisoformat(value)
        column = _column(master, name)
        conditions.append(column.is_(None) if value is None else column == value)
    return conditions


def change_version(master: Master, version_id: int, shown: dict, values: dict, *, staff) -> str:
    """Save `values` (valid_from and the edited values) over a version that starts after today
    and still holds what the screen showed (`shown`, a snapshot): SAVED, STALE (it took effect,
    or was changed or deleted meanwhile) or TAKEN (its key has another version of the new
    適用開始日)."""
    changed = {name: values[name] for name in ("valid_from", *(c.name for c in master.values))}
    statement = (
        update(master.model)
        .where(_column(master, "id") == version_id, _column(master, "valid_from") > today(), *_as_shown(master, shown))
        .values(**changed)
        .execution_options(synchronize_session=False)
    )
    outcome = write_future_version(master.model, version_id, statement)
    if outcome != SAVED:
        return outcome
    after = _plain(master, shown | changed)
    audit("staff.master.updated", staff=staff, master=master.name, target=version_id, before=shown, after=after)
    forget()
    return SAVED


def delete_version(master: Master, version_id: int, shown: dict, *, staff) -> bool:
    """Delete a version that starts after today and still holds what the screen showed; False
    when it took effect, or was changed or deleted meanwhile."""
    statement = (
        delete(master.model)
        .where(_column(master, "id") == version_id, _column(master, "valid_from") > today(), *_as_shown(master, shown))
        .execution_options(synchronize_session=False)
    )
    if not delete_future_version(master.model, version_id, statement):
        return False
    audit("staff.master.deleted", staff=staff, master=master.name, target=version_id, before=shown, after=None)
    forget()
    return True
