"""Statement budget recipes of お知らせ管理 (S.7): the list with 1 and 50 notices (drafts and
withdrawn ones among them), a notice's screens, rendered in the 管理担当's login."""

from datetime import timedelta

from sqlalchemy import delete, select

from nexi import db
from nexi.clock import now
from nexi.models import Notice
from tests.support.recipes import Recipe, Rows

_VALUES = {
    "title": "システムメンテナンスのお知らせ",
    "body": "本文です。\n二行目です。",
    "category": "システム",
    "publish_at": "2026-04-15 09:00",
    "expire_at": "",
}


def _notices(connection, n: int) -> None:
    """n notices an hour apart: every third a draft, every fifth withdrawn."""
    notices = Notice.__table__
    connection.execute(delete(notices))
    moment = now()
    connection.execute(
        notices.insert(),
        [
            {
                "title": f"お知らせ{index + 1}",
                "body": "本文です。",
                "category": "システム",
                "publish_at": moment - timedelta(hours=index),
                "expire_at": None,
                "draft": index % 3 == 1,
                "withdrawn_at": moment if index % 5 == 4 else None,
                "updated_at": None,
            }
            for index in range(n)
        ],
    )


def _a_notice(app) -> int:
    with app.app_context():
        return db.session().execute(select(Notice.id).order_by(Notice.id)).scalar()


ROWS = {"staff_notices": Rows(_notices, "table.table--notices tr.notice-row")}

RECIPES = {
    "staff.notices": Recipe(lambda app: {"page": 1}, ("staff_notices",)),
    "staff.notice": Recipe(lambda app: {"notice_id": _a_notice(app)}),
    "staff.notice_edit": Recipe(
        lambda app: {"notice_id": _a_notice(app), "values": _VALUES, "version": None, "errors": {"title": ["x"]}}
    ),
    "staff.notice_confirm": Recipe(lambda app: {"notice_id": None, "values": _VALUES, "version": None}),
    "staff.notice_act": Recipe(lambda app: {"notice_id": _a_notice(app), "action": "withdraw"}),
    "staff.notice_done": Recipe(lambda app: {"notice_id": _a_notice(app), "action": "updated"}),
}
