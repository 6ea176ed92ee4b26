"""Demo 保険利用者 and their Web users (every password is DEMO_PASSWORD)."""

from flask import current_app

from nexi import db
from nexi.clock import real_now
from nexi.models import Customer, Department, LoginFailure, Role, WebUser
from nexi.security import hash_password, login_key

DEMO_PASSWORD = "DemoPass#2026"
DEMO_OTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

CUSTOMERS = [
    {
        "code": "123456789",
        "name_ja": "株式会社サンプル精機",
        "name_en": "SAMPLE SEIKI CO., LTD.",
        "postal_code": "100-0005",
        "address_ja": "東京都千代田区丸の内一丁目2番3号 サンプルビル8階",
        "address_en": "8F Sample Bldg., 1-2-3 Marunouchi, Chiyoda-ku, Tokyo",
        "representative": "代表取締役社長 山本 誠",
        "corporate_number": "6010001034123",
        "is_sme": True,
        "contact_department": "海外営業部",
        "contact_person": "山田 太郎",
        "contact_phone": "03-1234-5678",
        "contact_email": "export@sample-seiki.example.jp",
    },
    {
        "code": "987654321",
        "name_ja": "東和トレーディング株式会社",
        "name_en": "TOWA TRADING CORPORATION",
        "postal_code": "530-0001",
        "address_ja": "大阪府大阪市北区梅田二丁目4番5号",
        "address_en": "2-4-5 Umeda, Kita-ku, Osaka",
        "representative": "代表取締役 中村 健一",
        "contact_department": "貿易管理課",
        "contact_person": "田中 次郎",
        "contact_phone": "06-6123-4567",
        "contact_email": "boeki@towa-trading.example.jp",
    },
]

USERS = [
    # (customer index, login_id, name, department, role, otp)
    (0, "demo-admin", "山田 太郎", "海外営業部", Role.ADMIN, False),
    (0, "demo-user", "佐藤 花子", "海外営業部", Role.GENERAL, False),
    (0, "demo-otp", "鈴木 一郎", "経理部", Role.GENERAL, True),
    (1, "other-admin", "田中 次郎", "貿易管理課", Role.ADMIN, False),
]

# 部門 of each customer (customer index, code, name)
DEPARTMENTS = [
    (0, "EXP01", "海外営業部 第一課"),
    (0, "EXP02", "海外営業部 第二課"),
    (0, "PLT1", "プラント事業部"),
    (1, "TRD1", "貿易管理課"),
]

# Users in the states ⑯ Webユーザー管理 shows (3-6), all of 株式会社サンプル精機:
# (login_id, name, department, what is special); the password is DEMO_PASSWORD here too.
STATE_USERS = [
    ("demo-temp", "高橋 美咲", "経理部", "temporary"),  # 仮パスワード: must change it at the first login
    ("demo-locked", "伊藤 健", "海外営業部", "locked"),  # locked by failed logins
    ("demo-disabled", "渡辺 直樹", "プラント事業部", "disabled"),  # 無効: cannot log in
    ("demo-otp-new", "小林 さくら", "海外営業部", "otp-new"),  # OTP on, not enrolled: enrols at login
]


def seed() -> list[Customer]:
    session = db.session()
    customers = [Customer(**values) for values in CUSTOMERS]
    session.add_all(customers)
    session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    created = real_now()
    for index, login_id, name, department, role, otp in USERS:
        session.add(
            WebUser(
                customer_id=customers[index].id,
                login_id=login_id,
                login_key=login_key(login_id),
                name=name,
                department=department,
                phone=customers[index].contact_phone,
                email=f"{login_id}@example.jp",
                role=role,
                password_hash=password_hash,
                otp_enabled=otp,
                otp_secret=DEMO_OTP_SECRET if otp else None,
                otp_enrolled_at=created if otp else None,
                created_at=created,
            )
        )
    for index, code, name in DEPARTMENTS:
        session.add(Department(customer_id=customers[index].id, code=code, name=name))
    for login_id, name, department, special in STATE_USERS:
        company = customers[1] if special == "otp-new" else customers[0]  # 東和's: サンプル精機's counts stay
        session.add(
            WebUser(
                customer_id=company.id,
                login_id=login_id,
                login_key=login_key(login_id),
                name=name,
                department=department,
                phone=company.contact_phone,
                email=f"{login_id}@example.jp",
                role=Role.GENERAL,
                active=special != "disabled",
                password_hash=password_hash,
                temporary_password=special == "temporary",
                temporary_password_at=created if special == "temporary" else None,
                otp_enabled=special == "otp-new",
                created_at=created,
            )
        )
        if special == "locked":
            threshold = current_app.config["NEXI_LOCKOUT_THRESHOLD"]
            session.add(
                LoginFailure(login_key=login_key(login_id), count=threshold, last_failed_at=created, locked_at=created)
            )
    session.flush()
    return customers
