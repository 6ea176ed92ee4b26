"""The NEXI staff area (DOMAIN.md S.1): its own login, session and screens under /staff."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from nexi.blueprints.staff import (  # noqa: E402, F401
    accounts,
    buyers,
    console,
    countries,
    customers,
    limits,
    login,
    losses,
    master_edits,
    masters,
    notices,
    registrations,
    renewals,
    review,
    sleeping,
    webusers,
)
