"""Error pages in Japanese; no input ever produces a bare error or a stack trace."""

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from nexi.rendering import is_htmx, redirect_page

MESSAGES = {
    400: ("不正なリクエストです", "送信された内容を処理できませんでした。もう一度操作してください。"),
    403: ("この操作は行えません", "この画面または操作を利用する権限がありません。"),
    404: ("ページが見つかりません", "お探しのページは見つかりませんでした。"),
    405: ("この操作は行えません", "この画面はこの方法では表示できません。"),
    413: ("ファイルが大きすぎます", "送信されたデータが大きすぎます。ファイルの大きさをご確認ください。"),
    500: ("システムエラーが発生しました", "しばらくしてから、もう一度操作してください。"),
}


def render_error(status: int, detail: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    page = render_template("errors/error.html", title=title, text=detail or text, status=status)
    return page, status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        from nexi.audit import audit

        audit("security.csrf", **(current_user.actor if current_user.is_authenticated else {}))
        detail = (
            "セキュリティ確認に失敗したため、操作は実行されませんでした。画面を開き直して、もう一度操作してください。"
        )
        if is_htmx():
            return redirect_page(request.host_url)
        return render_error(400, detail)

    @app.errorhandler(405)
    def _method_not_allowed(error):
        # A GET of a screen that only answers POST: a typed URL, a bookmark or the history.
        if request.method == "GET" and current_user.is_authenticated:
            from nexi.navigation import redirect_misuse

            return redirect_misuse("typed")
        if request.method == "GET":
            from flask import url_for

            from nexi.sessions import staff_area

            return redirect_page(url_for("staff.login" if staff_area() else "auth.login"))
        return render_error(405)

    @app.errorhandler(HTTPException)
    def _http(error):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error):
        if app.testing:
            raise error
        app.logger.exception("unhandled error")
        return render_error(500)
