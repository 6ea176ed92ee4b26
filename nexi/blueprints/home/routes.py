"""1章 2-1 ユーザーページ and ⑥ お知らせ; the app's one address."""

from flask import current_app, request
from flask_login import current_user, login_required
from sqlmodel import col, select

from nexi import db, deadlines
from nexi.blueprints.home import bp, menus
from nexi.blueprints.status import queries
from nexi.clock import now
from nexi.forms import bounded_int
from nexi.models import Notice
from nexi.navigation import arrived_by_typing, claim_ticket, guarded, reissue, render_current, screen, show
from nexi.notices import count_published, latest_published, published
from nexi.procedures.registry import CATALOGUE
from nexi.rendering import add_message, render_screen


@bp.get("/")
@login_required
def current():
    """The app's one address: the current screen, rendered again from the server's state."""
    if claim_ticket():
        return render_current()
    return reissue("typed" if arrived_by_typing() else "history")


@bp.post("/home")
@guarded
def home():
    """2-1 ユーザーページへ戻る."""
    return show("home.index")


@screen("home.index")
def index_screen():
    db.done_writing()
    notices = latest_published(now(), 3)
    latest, returned = queries.latest()
    eligible = menus.eligibilities(current_user.user, current_user.customer)
    upcoming = deadlines.upcoming(current_user.customer.id)
    return render_screen(
        "home/index.html",
        notices=notices,
        latest=latest,
        returned=returned,
        names=CATALOGUE,
        menus=menus.rendered(eligible),
        deadlines=upcoming,
        deadline_buttons=menus.procedure_items((item.code for item in upcoming), eligible),
    )


@bp.post("/notices")
@guarded
def notices():
    """2-1 ⑥ 掲載中のお知らせ一覧."""
    return show("home.notices", page=request.form.get("page", 1, type=int))


@screen("home.notices")
def notices_screen(page: int = 1):
    size = current_app.config["NEXI_NOTICES_PAGE_SIZE"]
    db.done_writing()
    total = count_published(now())
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    rows = latest_published(now(), size, (page - 1) * size)
    return render_screen(
        "home/notices.html",
        block="notice_list",
        notices=rows,
        page=page,
        pages=pages,
        total=total,
        first=(page - 1) * size + 1,
    )


@bp.post("/notices/detail")
@guarded
def notice_detail():
    """2-1 ⑥ お知らせ詳細."""
    return show(
        "home.notice_detail",
        notice_id=bounded_int(request.form.get("notice"), 1) or 0,  # an id within its column, or none
        back_page=request.form.get("back_page", 0, type=int),
    )


@screen("home.notice_detail")
def notice_detail_screen(notice_id: int, back_page: int = 0):
    notice = db.session().exec(select(Notice).where(col(Notice.id) == notice_id, published(now()))).first()
    if notice is None:  # expired since the list was shown, or a forged id
        add_message("指定されたお知らせは、掲載期間が終了したか存在しません。", level="warning")
        return notices_screen(back_page or 1)
    return render_screen("home/notice_detail.html", notice=notice, back_page=back_page)
