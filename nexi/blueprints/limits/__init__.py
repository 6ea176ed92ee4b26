"""10章 個別保証枠等に関する手続き: the address of ⑩'s menu entries. The procedures L01–L03 are
declared in nexi/procedures/limits; their start routes are mounted here from the declarations
(nexi/blueprints/procedure/routes.py mount) and run on the generic procedure screens."""

from flask import Blueprint

bp = Blueprint("limits", __name__, url_prefix="/limits")
