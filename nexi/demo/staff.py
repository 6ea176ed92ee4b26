"""Demo NEXI staff (S.1): one of each role, enrolled with fixed TOTP secrets (README), password
DEMO_PASSWORD."""

from nexi import db
from nexi.clock import real_now
from nexi.demo.accounts import DEMO_PASSWORD
from nexi.models import StaffUser
from nexi.security import hash_password, login_key

REVIEWER_SECRET = "NEXIREVIEWERDEMONEXIREVIEWERDEMO"
MANAGER_SECRET = "NEXIMANAGERDEMOSNEXIMANAGERDEMOS"
STAFF = [
    # (login_id, name, 審査担当, 管理担当, TOTP secret)
    ("demo-reviewer", "木村 聡", True, False, REVIEWER_SECRET),
    ("demo-manager", "清水 由美", False, True, MANAGER_SECRET),
]


def seed() -> None:
    created = real_now()
    password_hash = hash_password(DEMO_PASSWORD)
    for login_id, name, reviewer, manager, secret in STAFF:
        db.session().add(
            StaffUser(
                login_id=login_id,
                login_key=login_key(login_id),
                name=name,
                reviewer=reviewer,
                manager=manager,
                password_hash=password_hash,
                otp_secret=secret,
                otp_enrolled_at=created,
                created_at=created,
            )
        )
    db.session().flush()
