from flask import Blueprint

bp = Blueprint("estimate", __name__, url_prefix="/estimate")

from nexi.blueprints.estimate import routes  # noqa: E402, F401
