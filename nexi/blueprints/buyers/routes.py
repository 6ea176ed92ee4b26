"""7章 海外商社（バイヤー）に関する手続き: the menu entries of ⑧. The procedures themselves are
declared in nexi/procedures/buyers and run on the generic screens of nexi/blueprints/procedure."""

from nexi.blueprints.buyers import bp
from nexi.blueprints.procedure.routes import start
from nexi.navigation import guarded
from nexi.procedures import buyers  # noqa: F401  (declares B01–B05)


@bp.post("/register")
@guarded
def register():
    """7-1 海外商社新規登録 (B01)."""
    return start("B01")


@bp.post("/rating-change")
@guarded
def rating_change():
    """7-2 格付変更申請 (B02)."""
    return start("B02")


@bp.post("/name-address")
@guarded
def name_address():
    """7-3 名称・住所の変更・追加 (B03)."""
    return start("B03")


@bp.post("/branches")
@guarded
def branches():
    """7-4 海外支店・子会社等の登録・削除 (B04)."""
    return start("B04")


@bp.post("/sleeping-release")
@guarded
def sleeping_release():
    """7-5 スリーピング候補バイヤー解除申請 (B05)."""
    return start("B05")
