"""8章 企業総合保険特約に関する手続き: the address of ⑪'s menu entries. The procedures K01–K03 are
declared in nexi/procedures/comprehensive; their start routes are mounted here from the
declarations (nexi/blueprints/procedure/routes.py mount) and run on the generic procedure screens."""

from flask import Blueprint

bp = Blueprint("comprehensive", __name__, url_prefix="/comprehensive")
