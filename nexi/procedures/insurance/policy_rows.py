"""A policy's rows as IA2 reads them, once per request (the 完了 screen asks for the form, the
tariff's proposal and the facts): both the forms and the values of the 変更 read them here."""

from flask import g, has_request_context
from sqlalchemy import select
from sqlmodel import col

from nexi import db
from nexi.models import Buyer, Policy


def cached(key: tuple, load):
    """Read once per request (the 完了 screen asks for the form, the proposal and the facts)."""
    if not has_request_context():
        return load()
    store = g.setdefault("policy_change_rows", {})
    if key not in store:
        store[key] = load()
    return store[key]


def parties(policy: Policy) -> dict[int, Buyer]:
    """The policy's buyers (契約相手方, 支払人, 保証人, L/C bank) by id, in one statement."""
    ids = {policy.counterparty_id, policy.payer_id, policy.guarantor_id, policy.lc_bank_id} - {None}
    return cached(
        ("parties", policy.id),
        lambda: {buyer.id: buyer for buyer in db.session().scalars(select(Buyer).where(col(Buyer.id).in_(ids)))},
    )
