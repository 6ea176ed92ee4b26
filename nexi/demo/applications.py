"""Demo Web申込: one in each status, so that Web申込状況一覧 and its actions can be tried at once."""

from datetime import timedelta

from nexi import db
from nexi.clock import JST, now
from nexi.models import Application, ApplicationEvent, Status
from nexi.sequences import next_value

NEW_BUYER = {
    "buyer": {
        "name_en": "LUMIERE OPTIQUE SAS",
        "alias": "",
        "country": "210",
        "address": "14 Rue de la Paix",
        "city": "Paris",
        "state": "",
        "postal_code": "75002",
        "phone": "+33-1-4000-0000",
        "fax": "",
        "url": "https://www.lumiere-optique.example.fr",
    },
    "company": {
        "office_type": "head",
        "industry": "商社",
        "established": "1987",
        "representative": "Claire Martin",
        "employees": "240",
        "capital": "5,000,000",
        "capital_currency": "EUR",
    },
    "report": {"desired_class": "E", "fiscal_end": "", "report_mode": "request", "fee_ack": "y"},
    "plan": {
        "product": "01",
        "planned_amount": "1,200,000",
        "planned_currency": "EUR",
        "payment_terms": "送金（後払い）",
        "usance": "90",
        "remarks": "光学機器部品の継続取引を予定しています。",
    },
}
DRAFT_BUYER = {
    "buyer": {
        "name_en": "GULF ROYAL TRADING LLC",
        "alias": "",
        "country": "147",
        "address": "Sheikh Zayed Road 21",
        "city": "Dubai",
        "state": "",
        "postal_code": "",
        "phone": "+971-4-000-0000",
        "fax": "",
        "url": "",
    },
    "company": {
        "office_type": "head",
        "industry": "商社",
        "established": "2004",
        "representative": "",
        "employees": "",
        "capital": "",
        "capital_currency": "",
    },
    "report": {"desired_class": "E", "report_mode": "request", "fee_ack": "y"},
    "plan": {
        "product": "03",
        "planned_amount": "300,000",
        "planned_currency": "USD",
        "payment_terms": "L/C（信用状）",
        "usance": "60",
        "remarks": "",
    },
}


def _rating(code: str) -> dict:
    return {
        "target": {
            "buyer_code": code,
            "reason": "直近決算で売上高・自己資本比率が大きく改善したため、格付の見直しをお願いします。",
        },
        "report": {"report_mode": "request", "fee_ack": "y"},
    }


def _address(code: str) -> dict:
    return {
        "change": {
            "buyer_code": code,
            "change_kind": "address",
            "new_address": "120 Moo 9, Theparak Road",
            "new_city": "Samut Prakan",
            "new_state": "",
            "new_postal_code": "10540",
            "reason": "本社工場の移転に伴い住所が変更されました。",
        }
    }


def _branch(code: str) -> dict:
    return {
        "head": {"head_code": code, "action": "register", "relation": "subsidiary"},
        "register": {
            "branch_name_en": "ACME INDUSTRIAL SUPPLY DE MEXICO",
            "branch_alias": "",
            "branch_country": "305",
            "branch_address": "Av. Constitucion 400",
            "branch_city": "Monterrey",
            "branch_industry": "商社",
            "share_ratio": "100",
        },
    }


def _release(code: str) -> dict:
    return {
        "release": {
            "buyer_code": code,
            "release_reason": "来年度に同社向けの輸出再開が決まっています。",
            "plan_product": "01",
            "plan_month": (now() + timedelta(days=120)).strftime("%Y-%m"),
            "plan_amount": "250,000",
            "plan_currency": "AUD",
        }
    }


# (customer, creator, code, values, target, target_key, status, days ago, NEXI comment, result)
SAMPLES = [
    (0, "demo-admin", "B01", NEW_BUYER, "LUMIERE OPTIQUE SAS（フランス）", None, Status.SUBMITTED, 3, None, None),
    (0, "demo-admin", "B02", _rating("105-000201"), "105-000201 SHANGHAI HUAXIN TRADING CO., LTD.", "105-000201",
     Status.REVIEWING, 9, None, None),
    (0, "demo-user", "B03", _address("111-000301"), "111-000301 SIAM PRECISION PARTS CO., LTD.", "111-000301",
     Status.RETURNED, 12, "証拠書類として添付された登記簿の写しが不鮮明で、新しい住所が確認できません。"
     "鮮明な写しを添付のうえ、再申込してください。", None),
    (0, "demo-user", "B01", DRAFT_BUYER, "GULF ROYAL TRADING LLC（アラブ首長国連邦）", None, Status.DRAFT, 2, None, None),
    (0, "demo-admin", "B04", _branch("304-000101"), "304-000101 ACME INDUSTRIAL SUPPLY INC.", "304-000101",
     Status.REJECTED, 40, "子会社の出資関係を確認できる資料が提出されなかったため、承認できません。", None),
    (0, "demo-admin", "B01", NEW_BUYER | {"buyer": NEW_BUYER["buyer"] | {"name_en": "PACIFIC MACHINERY CORPORATION",
                                                                       "country": "304"}},
     "PACIFIC MACHINERY CORPORATION（アメリカ合衆国）", None, Status.COMPLETED, 70, None,
     {"バイヤーコード": "304-000102", "格付": "EE", "格付適用日": "", "個別保証枠": "枠あり"}),
    (0, "demo-admin", "B02", _rating("213-000401"), "213-000401 RHEINLAND MASCHINENBAU GMBH", "213-000401",
     Status.WITHDRAWN, 55, None, None),
    (0, "demo-user", "B05", _release("601-000901"), "601-000901 SOUTHERN CROSS FOODS PTY LTD", None, Status.DRAFT, 45,
     None, None),
    (1, "other-admin", "B01", NEW_BUYER | {"buyer": NEW_BUYER["buyer"] | {"name_en": "KOREA HANIL ELECTRONICS CO.",
                                                                       "country": "103"}},
     "KOREA HANIL ELECTRONICS CO.（大韓民国）", None, Status.SUBMITTED, 4, None, None),
]  # fmt: skip

NEXI_STEPS = {  # what NEXI did after 申込済, in order
    Status.SUBMITTED: [],
    Status.REVIEWING: [Status.REVIEWING],
    Status.RETURNED: [Status.REVIEWING, Status.RETURNED],
    Status.REJECTED: [Status.REVIEWING, Status.REJECTED],
    Status.COMPLETED: [Status.REVIEWING, Status.COMPLETED],
    Status.WITHDRAWN: [],
}


def _dated(values: dict) -> dict:
    """Fill the dates that must be recent (直近決算期末日 within 18 months) from today."""
    report = values.get("report")
    if report and report.get("desired_class") == "E" and not report.get("fiscal_end"):
        fiscal_end = (now() - timedelta(days=150)).astimezone(JST).date().isoformat()
        return values | {"report": report | {"fiscal_end": fiscal_end}}
    return values


def seed(customers, users_by_login) -> None:
    session = db.session()
    for index, login_id, code, values, target, key, status, days_ago, comment, result in SAMPLES:
        values = _dated(values)
        created = now() - timedelta(days=days_ago, hours=3)
        day = created.astimezone(JST).strftime("%Y%m%d")
        touched = created + timedelta(minutes=20)
        if result and "格付適用日" in result:
            result = result | {"格付適用日": (created + timedelta(days=12)).astimezone(JST).strftime("%Y年%m月%d日")}
        application = Application(
            number=f"W{day}{next_value(f'web:{day}'):06d}",
            customer_id=customers[index].id,
            user_id=users_by_login[login_id].id,
            procedure=code,
            status=status,
            data={"values": values, "files": {}},
            target=target,
            target_key=key,
            created_at=created,
            saved_at=created,
            submitted_at=None if status == Status.DRAFT else touched,
            listed_at=created if status == Status.DRAFT else touched,
            updated_at=created,
            comment=comment,
            result=result or {},
        )
        session.add(application)
        session.flush()
        events = [(created, Status.DRAFT, False, None)]
        if status != Status.DRAFT:
            events.append((touched, Status.SUBMITTED, False, None))
            moment = touched
            for step in NEXI_STEPS[status]:
                moment += timedelta(days=2)
                events.append((moment, step, True, comment if step in (Status.RETURNED, Status.REJECTED) else None))
            if status == Status.WITHDRAWN:
                moment += timedelta(days=1)
                events.append((moment, Status.WITHDRAWN, False, None))
            application.updated_at = moment
        for at, event_status, by_nexi, note in events:
            session.add(
                ApplicationEvent(
                    application_id=application.id,
                    at=at,
                    status=event_status,
                    by_nexi=by_nexi,
                    user_id=None if by_nexi else application.user_id,
                    comment=note,
                )
            )
