from flask import Blueprint

bp = Blueprint("auth", __name__)

from nexi.blueprints.auth import reenrol, routes  # noqa: E402, F401
