"""Walking E01 電子申請 over HTTP, and the demo rows its rules look up."""

from sqlmodel import col, select

from nexi import db
from nexi.models import Application, Attachment, BlanketContract, Customer, Policy, Status, WebUser
from tests.support.files import pdf, upload
from tests.support.procedures import start

ENDPOINT = "eapply.filing"
DEMO, OTHER = "123456789", "987654321"  # サンプル精機, 東和トレーディング


def values(**changes) -> dict:
    return {"kind": "other", "subject": "特約書の写しの提出", "body": "", "declaration": "y"} | changes


def send(portal, *files, action="next", **changes):
    """The step posted with `files` for 添付ファイル; the answers of values(**changes)."""
    data = {"action": action, **values(**changes)}
    if files:
        data["documents"] = list(files)
    return portal.go("procedure.input_submit", data)


def begin(portal, login_id: str = "demo-admin"):
    portal.login(login_id)
    return start(portal, ENDPOINT)


def file(text: str = "doc", name: str = "書類.pdf"):
    return upload(pdf(text=text), name)


def to_confirm(portal, *files, **changes):
    """From the step to 確認, with `files`, or else a PDF unless the step holds one already."""
    held = portal.last is not None and portal.last.select(".attachments li")
    return send(portal, *(files or (() if held else (file(),))), **changes)


def submitted(portal, **changes) -> str:
    """Filed through 申込む: its Web申込番号."""
    page = to_confirm(portal, **changes)
    assert page.h1 == "電子申請（申込内容確認）", page.error_summary
    number = page.text(".panel .number")
    assert portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"}).h1 == "電子申請（申込完了）"
    return number


def policy_of(app, customer_code: str = DEMO) -> str:
    """A 保険証券番号 of one of the customer's policies."""
    with app.app_context():
        return (
            db.session()
            .exec(
                select(Policy.number)
                .join(Customer, col(Customer.id) == Policy.customer_id)
                .where(Customer.code == customer_code)
            )
            .first()
        )


def blanket_contract_of(app, customer_code: str = DEMO) -> str:
    with app.app_context():
        return (
            db.session()
            .exec(
                select(BlanketContract.number)
                .join(Customer, col(Customer.id) == BlanketContract.customer_id)
                .where(Customer.code == customer_code)
            )
            .first()
        )


def application_of(app, login_id: str, status: Status = Status.SUBMITTED) -> str:
    """The Web申込番号 of one of the user's (demo) applications."""
    with app.app_context():
        return (
            db.session()
            .exec(
                select(Application.number)
                .join(WebUser, col(WebUser.id) == Application.user_id)
                .where(WebUser.login_id == login_id, Application.status == status)
            )
            .first()
        )


def stored(app) -> list[Attachment]:
    with app.app_context():
        return list(db.session().exec(select(Attachment).order_by(Attachment.id)).all())


def record(app, number: str) -> Application:
    with app.app_context():
        return db.session().exec(select(Application).where(Application.number == number)).one()
