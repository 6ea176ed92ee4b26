"""Versioned master data for estimates and accounting (DOMAIN.md M.2–M.4, §6): currencies with
their 換算レート, buyer ratings with the 格付係数, 商品係数, the tariff a/b and the weights w_p/w_c,
each row with its 適用開始日, loaded with the values of DOMAIN.md.

The values are written out here rather than imported: a migration keeps loading what it loaded
when it was written, whatever the code says later.

Revision ID: 0012
Revises: 0011
"""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import nexi.models.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

RATES_FROM = date(2026, 1, 1)  # M.2's sample rates
BASE_FROM = date(2017, 11, 1)  # the other samples, from the date of the sample countries (M.1)

CURRENCIES = [  # code, decimals, 換算レート (円)
    ("JPY", 0, "1"), ("USD", 2, "150.00"), ("EUR", 2, "162.00"), ("GBP", 2, "190.00"),
    ("CNY", 2, "20.80"), ("AUD", 2, "98.00"), ("CAD", 2, "110.00"), ("CHF", 2, "170.00"),
    ("HKD", 2, "19.20"), ("SGD", 2, "112.00"), ("THB", 2, "4.20"),
]  # fmt: skip
USD_2026_07 = ("USD", date(2026, 7, 1), 2, "152.35")

RATINGS = [  # code, meaning, 信用危険, 格付係数
    ("GS", "中央銀行・財務省・国際機関等", "可", "1.0"),
    ("GA", "その他の政府機関・州政府・地方政府等", "可", "1.0"),
    ("GE", "政府系企業", "可", "1.0"),
    ("SA", "銀行（信用危険てん補可）", "可", "1.0"),
    ("SC", "銀行（信用危険てん補不可）", "不可", None),
    ("EE", "民間企業（優良）", "枠要", "1.0"),
    ("EA", "民間企業（良好）", "枠要", "1.1"),
    ("EM", "民間企業（中位）", "枠要", "1.5"),
    ("EF", "民間企業（てん補可能な下位）", "枠要", "2.0"),
    ("EC", "民間企業（信用危険てん補不可）", "不可", None),
    ("PN", "暫定格付", "不可", None),
    ("PU", "暫定格付（審査なし）", "不可", None),
    ("PT", "暫定格付", "不可", None),
    ("GR", "事故管理R（政府機関）", "不可", None),
    ("ER", "事故管理R（民間企業）", "不可", None),
    ("SR", "事故管理R（銀行）", "不可", None),
    ("GB", "事故管理B（政府機関）", "不可", None),
    ("EB", "事故管理B（民間企業）", "不可", None),
    ("SB", "事故管理B（銀行）", "不可", None),
]

COMMODITIES = [("一般", "1.00"), ("鋼材", "1.00"), ("化学品", "1.00"), ("機械設備", "1.10"),
               ("鉄道車両", "1.00"), ("船舶", "1.00"), ("農林水産物", "1.00")]  # fmt: skip

TARIFF = {  # phase: category → (a %/日, b %)
    "pre": dict(zip("ABCDEFGH", [
        ("0.000069", "0.029"), ("0.000123", "0.052"), ("0.000214", "0.090"), ("0.000304", "0.128"),
        ("0.000378", "0.159"), ("0.000438", "0.185"), ("0.000575", "0.243"), ("0.000753", "0.318")])),
    "post": dict(zip("ABCDEFGH", [
        ("0.000434", "0.009"), ("0.000868", "0.018"), ("0.001592", "0.033"), ("0.002317", "0.048"),
        ("0.002945", "0.061"), ("0.003428", "0.071"), ("0.004538", "0.094"), ("0.005987", "0.124")])),
}  # fmt: skip


def _id():
    return sa.Column("id", sa.Integer(), nullable=False)


def _factor(name, nullable=False):
    return sa.Column(name, nexi.models.types.ExactDecimal(), nullable=nullable)


def upgrade() -> None:
    currency = op.create_table(
        "currency",
        _id(),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        _factor("rate"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "valid_from"),
    )
    rating = op.create_table(
        "rating",
        _id(),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("meaning", sa.String(length=60), nullable=False),
        sa.Column("cover", sa.String(length=2), nullable=False),
        _factor("coefficient", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "valid_from"),
    )
    commodity = op.create_table(
        "commodity",
        _id(),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _factor("coefficient"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "valid_from"),
    )
    tariff = op.create_table(
        "tariff",
        _id(),
        sa.Column("phase", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=1), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        _factor("a"),
        _factor("b"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("phase", "category", "valid_from"),
    )
    weights = op.create_table(
        "tariff_weights",
        _id(),
        sa.Column("valid_from", sa.Date(), nullable=False),
        _factor("political"),
        _factor("commercial"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("valid_from"),
    )
    op.bulk_insert(
        currency,
        [{"code": code, "valid_from": RATES_FROM, "decimals": decimals, "rate": Decimal(rate)}
         for code, decimals, rate in CURRENCIES],
    )  # fmt: skip
    code, valid_from, decimals, rate = USD_2026_07
    exists = sa.select(sa.func.count()).select_from(currency).where(
        currency.c.code == code, currency.c.valid_from == valid_from
    )
    if not op.get_bind().execute(exists).scalar():
        op.bulk_insert(currency, [{"code": code, "valid_from": valid_from, "decimals": decimals, "rate": Decimal(rate)}])
    op.bulk_insert(
        rating,
        [{"code": code, "valid_from": BASE_FROM, "position": n, "meaning": meaning, "cover": cover,
          "coefficient": None if factor is None else Decimal(factor)}
         for n, (code, meaning, cover, factor) in enumerate(RATINGS, 1)],
    )  # fmt: skip
    op.bulk_insert(
        commodity,
        [{"name": name, "valid_from": BASE_FROM, "position": n, "coefficient": Decimal(factor)}
         for n, (name, factor) in enumerate(COMMODITIES, 1)],
    )  # fmt: skip
    op.bulk_insert(
        tariff,
        [{"phase": phase, "category": category, "valid_from": BASE_FROM, "a": Decimal(a), "b": Decimal(b)}
         for phase, table in TARIFF.items() for category, (a, b) in table.items()],
    )  # fmt: skip
    op.bulk_insert(weights, [{"valid_from": BASE_FROM, "political": Decimal("0.5"), "commercial": Decimal("0.5")}])


def downgrade() -> None:
    for name in ("tariff_weights", "tariff", "commodity", "rating", "currency"):
        op.drop_table(name)
