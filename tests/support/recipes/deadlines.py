"""Statement budget rows of the user page's 期限が近いお手続き (home/_deadlines.html): the customer's
確認 expiring within the 30 days, 1 or 50 of them. The block's five kinds are one statement
(nexi/deadlines.py), so one kind shows whether the count grows with what it lists; its own tests
(tests/http/home/test_deadlines.py) render all five at once."""

from datetime import timedelta

from sqlalchemy import delete, select

from nexi.clock import today
from nexi.demo.accounts import CUSTOMERS
from nexi.models import Buyer, Confirmation, Customer
from tests.support.recipes import Rows
from tests.support.recipes.limits import confirmation_row

PREFIX = "K2099"  # clear of the numbers the demo and the factories give


def _deadlines(connection, n: int) -> None:
    customers, buyers, confirmations = Customer.__table__, Buyer.__table__, Confirmation.__table__
    customer = connection.execute(select(customers.c.id).where(customers.c.code == CUSTOMERS[0]["code"])).scalar_one()
    buyer = connection.execute(select(buyers.c.id).where(buyers.c.code == "304-000101")).scalar_one()
    connection.execute(delete(confirmations).where(confirmations.c.number.like(f"{PREFIX}%")))
    connection.execute(
        confirmations.insert(),
        [
            confirmation_row(f"{PREFIX}{index:06d}", customer, buyer, valid_until=today() + timedelta(days=10))
            for index in range(n)
        ],
    )


ROWS = {"deadlines": Rows(_deadlines, ".deadline-list__item")}
