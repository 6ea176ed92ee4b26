"""12章 電子申請に関する手続き: the address of ⑬'s menu entry. E01 is declared in
nexi/procedures/eapply; its start route is mounted here from the declaration
(nexi/blueprints/procedure/routes.py mount) and runs on the generic procedure screens."""

from flask import Blueprint

bp = Blueprint("eapply", __name__, url_prefix="/eapply")
