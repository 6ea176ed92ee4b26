"""What E01 (DOMAIN.md 12-1) and its 受理 (S.3) look up: a 証券番号 and a Web申込番号 are only ever
found among the rows of one 保険利用者 (C.4), so another customer's number reads exactly like an
unknown one."""

from sqlmodel import col, select

from nexi import db
from nexi.models import Application, BlanketContract, Policy, Status


def own_policy(customer_id: int, number: str | None) -> bool:
    """Whether the customer holds a policy (any 枝番, any state) or a 簡易通知型 包括保険契約 with
    this 保険証券番号 (C.6: both are numbered the same way)."""
    if not number:
        return False
    session = db.session()
    policy = session.exec(
        select(Policy.id).where(col(Policy.customer_id) == customer_id, col(Policy.number) == number).limit(1)
    ).first()
    if policy is not None:
        return True
    contract = session.exec(
        select(BlanketContract.id).where(
            col(BlanketContract.customer_id) == customer_id, col(BlanketContract.number) == number
        )
    ).first()
    return contract is not None


def customer_application(customer_id: int, number: str | None) -> Application | None:
    """The customer's filed application with this Web申込番号, for NEXI staff: a draft (一時保存)
    is the customer's own business and never linked (S.2 never lists one)."""
    if not number:
        return None
    return (
        db.session()
        .exec(
            select(Application).where(
                col(Application.customer_id) == customer_id,
                col(Application.number) == number,
                col(Application.status) != Status.DRAFT,
            )
        )
        .first()
    )


def policy_message(number: str, whose: str = "貴社") -> str:
    return f"証券番号「{number}」の保険契約は見つかりません。{whose}の保険証券番号を入力してください"


def application_message(number: str) -> str:
    return f"Web申込番号「{number}」の申込みは見つかりません"
