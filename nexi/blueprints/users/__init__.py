from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/users")

from nexi.blueprints.users import company, manage, password, profile  # noqa: E402, F401
