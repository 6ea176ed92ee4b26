"""7章 海外商社（バイヤー）に関する手続き: the address of ⑧'s menu entries. The procedures B01–B05
are declared in nexi/procedures/buyers; their start routes are mounted here from the declarations
(nexi/blueprints/procedure/routes.py mount) and run on the generic procedure screens."""

from flask import Blueprint

bp = Blueprint("buyers", __name__, url_prefix="/buyers")
