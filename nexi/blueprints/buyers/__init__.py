from flask import Blueprint

bp = Blueprint("buyers", __name__, url_prefix="/buyers")

from nexi.blueprints.buyers import routes  # noqa: E402, F401
