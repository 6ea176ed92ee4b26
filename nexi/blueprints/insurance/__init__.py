"""9章 貿易保険の申込みに関する手続き: the address of ⑨'s menu entries. The procedures (IA1 …) are
declared in nexi/procedures/insurance; their start routes are mounted here from the declarations
(nexi/blueprints/procedure/routes.py mount) and run on the generic procedure screens."""

from flask import Blueprint

bp = Blueprint("insurance", __name__, url_prefix="/insurance")
