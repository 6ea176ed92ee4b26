"""Demo data for `make run` and the tests: two 保険利用者 with four Web users, notices, a buyer
register, applications in every status, a contract book (確認 and policies, nexi/demo/contracts.py),
what staff register for the 包括 products (nexi/demo/registrations.py) and two NEXI staff members
(S.1). Dates follow the business clock, so the demo reads sensibly
whatever day it runs. Every Web user's password is DEMO_PASSWORD."""

from sqlmodel import select

from nexi import db
from nexi.demo import accounts, applications, buyers, contracts, notices, registrations, staff
from nexi.demo.accounts import DEMO_OTP_SECRET, DEMO_PASSWORD
from nexi.models import Customer, WebUser

__all__ = ["DEMO_OTP_SECRET", "DEMO_PASSWORD", "database_is_empty", "seed"]


def database_is_empty() -> bool:
    return db.session().exec(select(Customer.id).limit(1)).first() is None


def seed() -> None:
    customers = accounts.seed()
    staff.seed()
    notices.seed()
    buyers.seed()
    users = {user.login_id: user for user in db.session().exec(select(WebUser)).all()}
    applications.seed(customers, users)
    contracts.seed(customers, users)
    registrations.seed(customers[0])  # S.6: 組合, 企業総合 特約, 簡易通知型 包括保険契約
    db.session().commit()
