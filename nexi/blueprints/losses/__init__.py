"""11章 事故に関する手続き: the address of ⑫'s menu entries. A01–A03 are declared in
nexi/procedures/losses; their start routes are mounted here from the declarations
(nexi/blueprints/procedure/routes.py mount) and run on the generic procedure screens."""

from flask import Blueprint

bp = Blueprint("losses", __name__, url_prefix="/losses")
