"""Statement budget recipes of 保険利用者 and Web users on the console (S.8), rendered in the
管理担当's login, with 1 and 50 rows of each list they show. The lists are those of a customer of
its own (code 8000000NN, copied from the demo's first), so the demo's rows stay as they are."""

from sqlalchemy import delete, select

from nexi import db
from nexi.models import Customer, Department, WebUser
from tests.support.recipes import Recipe, Rows

TEMPLATE, SHOWN = "123456789", "800000000"  # the demo customer copied, and the copy the detail shows
CUSTOMERS, DEPARTMENTS, USERS = Customer.__table__, Department.__table__, WebUser.__table__


def _copy(connection, row, **values) -> dict:
    return {key: value for key, value in row._mapping.items() if key != "id"} | values


def _shown_customer(connection) -> int:
    """The customer the detail shows (made on first use)."""
    found = connection.execute(select(CUSTOMERS.c.id).where(CUSTOMERS.c.code == SHOWN)).scalar()
    if found is None:
        template = connection.execute(select(CUSTOMERS).where(CUSTOMERS.c.code == TEMPLATE)).one()
        connection.execute(CUSTOMERS.insert(), [_copy(connection, template, code=SHOWN, name_ja="株式会社コピー")])
        found = connection.execute(select(CUSTOMERS.c.id).where(CUSTOMERS.c.code == SHOWN)).scalar_one()
    return found


def _customers(connection, n: int) -> None:
    """n customers coded 8000000NN (the shown one first)."""
    shown = _shown_customer(connection)
    connection.execute(delete(CUSTOMERS).where(CUSTOMERS.c.code.startswith("8000"), CUSTOMERS.c.id != shown))
    template = connection.execute(select(CUSTOMERS).where(CUSTOMERS.c.id == shown)).one()
    rows = [_copy(connection, template, code=f"{800000000 + index:09d}") for index in range(1, n)]
    if rows:
        connection.execute(CUSTOMERS.insert(), rows)


def _departments(connection, n: int) -> None:
    """The shown customer's 部門: n."""
    shown = _shown_customer(connection)
    connection.execute(delete(DEPARTMENTS).where(DEPARTMENTS.c.customer_id == shown))
    connection.execute(
        DEPARTMENTS.insert(),
        [{"customer_id": shown, "code": f"D{index:03d}", "name": f"部門{index}"} for index in range(n)],
    )


def _users(connection, n: int) -> None:
    """The shown customer's Web users: n (the first a 管理者), every other one locked."""
    from nexi.clock import real_now
    from nexi.models import LoginFailure

    shown = _shown_customer(connection)
    failures = LoginFailure.__table__
    connection.execute(delete(failures).where(failures.c.login_key.startswith("copy-user-")))
    connection.execute(delete(USERS).where(USERS.c.customer_id == shown))
    template = connection.execute(select(USERS).where(USERS.c.login_key == "demo-admin")).one()
    connection.execute(
        USERS.insert(),
        [
            _copy(connection, template, customer_id=shown, login_id=f"copy-user-{index:03d}",
                  login_key=f"copy-user-{index:03d}", role="admin" if index == 0 else "general")
            for index in range(n)
        ],
    )  # fmt: skip
    now = real_now()
    locked = [
        {"login_key": f"copy-user-{index:03d}", "count": 5, "last_failed_at": now, "locked_at": now}
        for index in range(1, n, 2)
    ]
    if locked:
        connection.execute(failures.insert(), locked)


def _customer_id(app) -> int:
    with app.app_context():
        with db.engine().begin() as connection:
            return _shown_customer(connection)


def _user_id(app, login_key: str = "demo-admin") -> int:
    with app.app_context():
        return db.session().execute(select(WebUser.id).where(WebUser.login_key == login_key)).scalar_one()


def _customer_of(app, login_key: str = "demo-admin") -> int:
    with app.app_context():
        return db.session().execute(select(WebUser.customer_id).where(WebUser.login_key == login_key)).scalar_one()


def _sealed(app) -> str:
    from nexi.auth import otp

    with app.app_context():
        return otp.seal("Abcd-Efgh-Jkmn-Pqrs")


CUSTOMER_VALUES = {
    "code": "555000111", "name_ja": "株式会社みなと物産", "name_en": "MINATO BUSSAN CO., LTD.", "postal_code": "231-0001",
    "address_ja": "神奈川県横浜市中区新港一丁目1番1号", "representative": "代表取締役 港 一郎", "contact_person": "港 花子",
    "contact_phone": "045-123-4567", "contact_email": "export@minato.example.jp", "is_sme": "yes", "is_agri": "no",
    "department_count": "1", "departments": [{"code": "EXP1", "name": "輸出部"}],
}  # fmt: skip
ADMIN_VALUES = {
    "login_id": "minato-admin",
    "name": "港 花子",
    "phone": "045-123-4568",
    "email": "h@minato.example.jp",
    "otp": "off",
}

ROWS = {
    "customers": Rows(_customers, "table.table--customers tbody tr"),
    "customer_departments": Rows(_departments, "table.departments tbody tr"),
    "customer_users": Rows(_users, ".user-row"),
    "webusers": Rows(_users, ".webuser-row"),
}

RECIPES = {
    "staff.customers": Recipe(lambda app: {"criteria": {"code": "8000", "name": ""}, "page": 1}, ("customers",)),
    "staff.customer": Recipe(
        lambda app: {"customer_id": _customer_id(app)}, ("customer_departments", "customer_users")
    ),
    "staff.customer_add": Recipe(lambda app: {"values": {"department_count": "1", "otp": "off"}}),
    "staff.customer_add_confirm": Recipe(lambda app: {"values": CUSTOMER_VALUES | ADMIN_VALUES}),
    "staff.customer_added": Recipe(
        lambda app: {"customer_id": _customer_of(app), "user_id": _user_id(app), "sealed": _sealed(app)}
    ),
    "staff.customer_admin_add": Recipe(lambda app: {"customer_id": _customer_id(app), "values": {"otp": "off"}}),
    "staff.customer_admin_confirm": Recipe(lambda app: {"customer_id": _customer_id(app), "values": ADMIN_VALUES}),
    "staff.webusers": Recipe(
        lambda app: {"criteria": {"login_id": "", "name": "", "customer_code": SHOWN}, "page": 1}, ("webusers",)
    ),
    "staff.webuser": Recipe(lambda app: {"user_id": _user_id(app, "demo-locked")}),
    "staff.webuser_confirm": Recipe(lambda app: {"user_id": _user_id(app, "demo-locked"), "action": "unlock"}),
    "staff.webuser_done": Recipe(lambda app: {"user_id": _user_id(app), "action": "password", "sealed": _sealed(app)}),
}
