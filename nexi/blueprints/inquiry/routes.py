"""5章 各種情報照会 (screen pattern 2)."""

from nexi.blueprints.inquiry import bp
from nexi.navigation import guarded, screen, show
from nexi.rendering import render_screen


@bp.post("/")
@guarded
def index():
    """5章 各種情報照会 (⑮)."""
    return show("inquiry.index")


@screen("inquiry.index", pattern=2)
def index_screen():
    return render_screen("inquiry/index.html")
