"""The NEXI staff area (DOMAIN.md S.1): its own login, session and screens under /staff."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from nexi.blueprints.staff import accounts, console, login  # noqa: E402, F401
