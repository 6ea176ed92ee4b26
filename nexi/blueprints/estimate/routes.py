"""6章 保険料試算 (screen pattern 2)."""

from nexi.blueprints.estimate import bp
from nexi.navigation import guarded, screen, show
from nexi.rendering import render_screen


@bp.post("/")
@guarded
def index():
    """6章 保険料試算 (⑭)."""
    return show("estimate.index")


@screen("estimate.index", pattern=2)
def index_screen():
    return render_screen("estimate/index.html")
