from flask import Blueprint

bp = Blueprint("inquiry", __name__, url_prefix="/inquiry")

from nexi.blueprints.inquiry import buyers, countries, limits, losses, policies, routes  # noqa: E402, F401
