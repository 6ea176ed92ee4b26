"""Statement budget recipes of the 事故 screens: 5-4 事故 (各種情報照会) in demo-admin's login — the list
with 1 and 50 事故, a 事故's detail with 1 and 50 猶予 in its history — and 事故の状況 of the console
(S.9) in the 審査担当's — the list with 1 and 50 (a page of them), the detail with 1 and 50 猶予, the
確認 of 「請求済にする」. The 事故 are the owner's customer's, on a policy of their own, each with the
A01 it came from; kept apart from the other recipes by their own numbers."""

from datetime import UTC, date, datetime

from sqlalchemy import delete, select

from nexi import db
from nexi.models import Application, Buyer, Customer, Loss, LossState, NoticeKind, Policy, Status, WebUser
from tests.support.recipes import Recipe, Rows
from tests.support.recipes.limits import policy_row

LOSSES, APPLICATIONS, POLICIES = Loss.__table__, Application.__table__, Policy.__table__
OWNER_CUSTOMER = "123456789"  # demo-admin's 保険利用者
POLICY = "01202640000001"  # the recipe 事故' policy
LISTED = "A2026500"  # + 3 digits: the listed 事故
SHOWN = "A2026599999"  # the 事故 the details show
NOTICES = "W20260418"  # + 6 digits: the A01 of each 事故
MOMENT = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)
REVIEWER = "demo-reviewer"


def _owner(connection) -> tuple[int, int]:
    customers, users = Customer.__table__, WebUser.__table__
    customer = connection.execute(select(customers.c.id).where(customers.c.code == OWNER_CUSTOMER)).scalar_one()
    user = connection.execute(select(users.c.id).where(users.c.login_id == "demo-admin")).scalar_one()
    return customer, user


def _policy(connection) -> int:
    """The recipe policy (made once)."""
    found = connection.execute(select(POLICIES.c.id).where(POLICIES.c.number == POLICY)).scalar()
    if found is not None:
        return found
    customer, _user = _owner(connection)
    buyer = connection.execute(select(Buyer.__table__.c.id).where(Buyer.__table__.c.code == "304-000101")).scalar_one()
    return connection.execute(
        POLICIES.insert().returning(POLICIES.c.id),
        policy_row(POLICY, customer, buyer, None) | {"used_jpy": 0, "credit_outstanding": 0, "state": "事故"},
    ).scalar_one()


def _losses(connection, numbers: list[str], extensions: int = 0) -> None:
    """事故 of these numbers (replacing any of them), each with its A01; `extensions` 猶予 each."""
    customer, user = _owner(connection)
    policy = _policy(connection)
    gone = select(LOSSES.c.application_id).where(LOSSES.c.number.in_(numbers))
    applications = list(connection.execute(gone).scalars())
    connection.execute(delete(LOSSES).where(LOSSES.c.number.in_(numbers)))
    connection.execute(delete(APPLICATIONS).where(APPLICATIONS.c.id.in_(applications)))
    for number in numbers:
        application = connection.execute(
            APPLICATIONS.insert().returning(APPLICATIONS.c.id),
            {"number": f"{NOTICES}{int(number[5:]):06d}", "customer_id": customer, "user_id": user,
             "procedure": "A01", "status": Status.COMPLETED, "data": {}, "created_at": MOMENT, "saved_at": MOMENT,
             "listed_at": MOMENT, "updated_at": MOMENT},
        ).scalar_one()  # fmt: skip
        history = [
            {"from": date(2027, 5, 29).replace(year=2027 + i).isoformat(),
             "to": date(2027, 5, 29).replace(year=2028 + i).isoformat(), "number": f"W20260419{i:06d}",
             "on": "2026-09-01"}
            for i in range(extensions)
        ]  # fmt: skip
        connection.execute(
            LOSSES.insert(),
            {"number": number, "customer_id": customer, "policy_id": policy, "instalment_id": None,
             "application_id": application, "kind": NoticeKind.POST, "cause": "12", "fixed_on": None,
             "due_on": date(2026, 8, 29), "currency": "USD", "expected_loss": 10_000, "unpaid": 10_000,
             "received": 2_500, "received_other": 100, "claim_from": date(2026, 11, 29),
             "claim_until": date(2027 + extensions, 5, 29), "extensions": history, "late": True,
             "state": LossState.ACCEPTED, "created_at": MOMENT, "updated_at": MOMENT, "version": 0},
        )  # fmt: skip


def _listed(connection, n: int) -> None:
    """n 事故 on the recipe policy (the shown one apart): the ones listed."""
    listed = select(LOSSES.c.number).where(LOSSES.c.number.startswith(LISTED))
    _losses(connection, list(connection.execute(listed).scalars()))  # the old ones go
    _losses(connection, [f"{LISTED}{i:03d}" for i in range(n)])


def _all_listed(connection, n: int) -> None:
    """As `_listed`, and no other 事故 (the console lists every customer's: the demo's go)."""
    others = ~LOSSES.c.number.startswith(LISTED) & (LOSSES.c.number != SHOWN)
    connection.execute(delete(LOSSES).where(others))
    _listed(connection, n)


def _extensions(connection, n: int) -> None:
    _losses(connection, [SHOWN], extensions=n)


def _shown(app) -> int:
    """The shown 事故's id (made once, with one 猶予)."""
    with app.app_context(), db.engine().begin() as connection:
        found = connection.execute(select(LOSSES.c.id).where(LOSSES.c.number == SHOWN)).scalar()
        if found is None:
            _extensions(connection, 1)
            found = connection.execute(select(LOSSES.c.id).where(LOSSES.c.number == SHOWN)).scalar_one()
        return found


def _criteria(**values) -> dict:
    return {"number": "", "policy": "", "state": ""} | values


def _staff_criteria() -> dict:
    return {"number": "", "customer_code": "", "state": ""}


ROWS = {
    "inquiry_losses": Rows(_listed, "table.table--inquiry-losses tbody tr"),
    "staff_losses": Rows(_all_listed, "table.table--staff-losses tbody tr"),
    "loss_extensions": Rows(_extensions, "table.table--loss-extensions tbody tr"),
}

RECIPES = {
    "inquiry.losses": Recipe(lambda app: {"criteria": _criteria(policy=POLICY)}, ("inquiry_losses",)),
    "inquiry.loss": Recipe(lambda app: {"number": SHOWN, "criteria": _criteria(policy=POLICY)}, ("loss_extensions",)),
    "staff.losses": Recipe(lambda app: {"criteria": _staff_criteria(), "page": 1}, ("staff_losses",), REVIEWER),
    "staff.loss": Recipe(
        lambda app: {"loss_id": _shown(app), "back": {"criteria": _staff_criteria(), "page": 1}},
        ("loss_extensions",),
        REVIEWER,
    ),
    "staff.loss_confirm": Recipe(
        lambda app: {
            "loss_id": _shown(app),
            "action": "claim",
            "values": {"claimed_on": "2026-04-15"},
            "loss_state": LossState.ACCEPTED,
            "version": 0,
            "back": {"criteria": _staff_criteria(), "page": 1},
        },
        staff=REVIEWER,
    ),
}
