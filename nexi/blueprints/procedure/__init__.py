from flask import Blueprint

bp = Blueprint("procedure", __name__, url_prefix="/procedure")

from nexi.blueprints.procedure import routes  # noqa: E402, F401
