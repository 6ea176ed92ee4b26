"""Statement budget recipes of 5-2 保険契約 and 5-3 個別保証枠 (各種情報照会), rendered in demo-admin's
login: the list of policies with 1 and 50 found (each with two 決済期限, as 最終決済期限 reads
them); a policy's detail with 1 and 50 決済期限, 変更履歴 entries and related Web申込; the list of
buyers with 1 and 50 (each with a 確認, an open earmark and a policy using it); a buyer's detail
with 1 and 50 確認 and policies. The rows are the owner's customer's and kept apart from the demo
data by their own numbers, buyers and dates."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import delete, select

from nexi.models import (
    Application,
    BlanketContract,
    BlanketRegistration,
    BlanketShipment,
    Buyer,
    Confirmation,
    Customer,
    Earmark,
    Instalment,
    Policy,
    PolicyChange,
    WebUser,
)
from tests.support.recipes import Recipe, Rows
from tests.support.recipes.limits import confirmation_row, policy_row

POLICIES, INSTALMENTS, CHANGES = Policy.__table__, Instalment.__table__, PolicyChange.__table__
BUYERS, CONFIRMATIONS, EARMARKS, APPLICATIONS = (
    Buyer.__table__, Confirmation.__table__, Earmark.__table__, Application.__table__,
)  # fmt: skip
OWNER_CUSTOMER = "123456789"  # demo-admin's 保険利用者
FOUND_PREFIX = "0120268"  # the listed policies' 証券番号
DETAILED = "01202689999999"  # the policy the detail shows
FUTURE = date(2090, 1, 1)  # the listed policies' 保険期間 starts then: the criterion finds them alone
RELATED = "W20260416"  # + 8xxxxx: the related Web申込
LIMIT_BUYERS = "996-"  # the buyers of 5-3
SHOWN_BUYER = "996-999999"
MOMENT = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)


def _customer(connection) -> int:
    customers = Customer.__table__
    return connection.execute(select(customers.c.id).where(customers.c.code == OWNER_CUSTOMER)).scalar_one()


def _a_buyer(connection) -> int:
    return connection.execute(select(BUYERS.c.id).where(BUYERS.c.code == "304-000101")).scalar_one()


def _drop_policies(connection, ids) -> None:
    for table in (INSTALMENTS, CHANGES):
        connection.execute(delete(table).where(table.c.policy_id.in_(ids)))
    connection.execute(delete(EARMARKS).where(EARMARKS.c.policy_id.in_(ids)))
    connection.execute(delete(POLICIES).where(POLICIES.c.id.in_(ids)))


def _policy(number: str, customer: int, buyer: int, **values) -> dict:
    return policy_row(number, customer, buyer, None) | {"used_jpy": 0, "credit_outstanding": 0} | values


# --- 5-2 ------------------------------------------------------------------------------------------


def _found_policies(connection, n: int) -> None:
    """n policies the criterion (保険期間 From FUTURE) finds, each with two 決済期限."""
    listed = select(POLICIES.c.id).where(POLICIES.c.number.startswith(FOUND_PREFIX), POLICIES.c.number != DETAILED)
    _drop_policies(connection, listed)
    customer, buyer = _customer(connection), _a_buyer(connection)
    connection.execute(
        POLICIES.insert(),
        [_policy(f"{FOUND_PREFIX}{i:07d}", customer, buyer, liability_from=FUTURE, period_to=date(2090, 12, 31))
         for i in range(n)],
    )  # fmt: skip
    ids = list(connection.execute(listed).scalars())
    connection.execute(
        INSTALMENTS.insert(),
        [{"policy_id": policy_id, "position": position, "due_on": date(2090, 6 * position, 1), "amount": 10_000,
          "settled": 0} for policy_id in ids for position in (1, 2)],
    )  # fmt: skip


def _detailed(connection) -> int:
    """The detailed policy (made once)."""
    found = connection.execute(select(POLICIES.c.id).where(POLICIES.c.number == DETAILED)).scalar()
    if found is not None:
        return found
    return connection.execute(
        POLICIES.insert().returning(POLICIES.c.id), _policy(DETAILED, _customer(connection), _a_buyer(connection))
    ).scalar_one()


def _instalments(connection, n: int) -> None:
    policy = _detailed(connection)
    connection.execute(delete(INSTALMENTS).where(INSTALMENTS.c.policy_id == policy))
    connection.execute(
        INSTALMENTS.insert(),
        [{"policy_id": policy, "position": i + 1, "due_on": date(2026, 6, 1).replace(year=2026 + i), "amount": 400,
          "settled": 100 * (i % 2)} for i in range(n)],
    )  # fmt: skip


def _changes(connection, n: int) -> None:
    policy = _detailed(connection)
    connection.execute(delete(CHANGES).where(CHANGES.c.policy_id == policy))
    connection.execute(
        CHANGES.insert(),
        [{"policy_id": policy, "application_id": None, "at": MOMENT, "kinds": "船積期日延長",
          "before": {"最終船積日": "2026-05-31"}, "after": {"最終船積日": f"2026-06-{i % 28 + 1:02d}"},
          "premium_change_jpy": i, "material": False} for i in range(n)],
    )  # fmt: skip


def _related(connection, n: int) -> None:
    """n L03 of demo-admin's naming the detailed policy."""
    _detailed(connection)
    connection.execute(delete(APPLICATIONS).where(APPLICATIONS.c.number.startswith(f"{RELATED}8")))
    users = WebUser.__table__
    user = connection.execute(select(users.c.id).where(users.c.login_id == "demo-admin")).scalar_one()
    connection.execute(
        APPLICATIONS.insert(),
        [{"number": f"{RELATED}{800000 + i:06d}", "customer_id": _customer(connection), "user_id": user,
          "procedure": "L03", "status": "completed", "data": {}, "target": f"証券番号・枝番 {DETAILED}-00",
          "target_key": f"{DETAILED}-00", "created_at": MOMENT, "saved_at": MOMENT, "listed_at": MOMENT,
          "updated_at": MOMENT} for i in range(n)],
    )  # fmt: skip


# --- 5-3 ------------------------------------------------------------------------------------------


def _clear_buyers(connection, keep_shown: bool) -> None:
    """The 5-3 recipe buyers and what they hold (the shown one kept, emptied, when asked)."""
    buyers = select(BUYERS.c.id).where(BUYERS.c.code.startswith(LIMIT_BUYERS))
    confirmations = select(CONFIRMATIONS.c.id).where(CONFIRMATIONS.c.buyer_id.in_(buyers))
    earmarked = select(EARMARKS.c.application_id).where(EARMARKS.c.confirmation_id.in_(confirmations))
    applications = list(connection.execute(earmarked).scalars())
    connection.execute(delete(EARMARKS).where(EARMARKS.c.confirmation_id.in_(confirmations)))
    connection.execute(delete(APPLICATIONS).where(APPLICATIONS.c.id.in_(applications)))
    _drop_policies(connection, select(POLICIES.c.id).where(POLICIES.c.confirmation_id.in_(confirmations)))
    connection.execute(delete(CONFIRMATIONS).where(CONFIRMATIONS.c.id.in_(confirmations)))
    gone = BUYERS.c.code.startswith(LIMIT_BUYERS)
    if keep_shown:
        gone = gone & (BUYERS.c.code != SHOWN_BUYER)
    connection.execute(delete(BUYERS).where(gone))


def _buyer_rows(connection, codes: list[str]) -> None:
    template = {key: value for key, value in connection.execute(
        select(BUYERS).where(BUYERS.c.id == _a_buyer(connection))).one()._mapping.items() if key != "id"}  # fmt: skip
    connection.execute(
        BUYERS.insert(),
        [template | {"code": code, "name_en": f"RECIPE LIMIT {code}", "name_key": f"recipelimit{code}",
                     "search_key": f"recipe limit {code}\n", "head_office_id": None, "limit_amount": 1000}
         for code in codes],
    )  # fmt: skip


def _shown_buyer(connection) -> int:
    found = connection.execute(select(BUYERS.c.id).where(BUYERS.c.code == SHOWN_BUYER)).scalar()
    if found is None:
        _buyer_rows(connection, [SHOWN_BUYER])
        found = connection.execute(select(BUYERS.c.id).where(BUYERS.c.code == SHOWN_BUYER)).scalar_one()
    return found


def _limit_buyers(connection, n: int) -> None:
    """n buyers, each with the owner's 確認, an open earmark of it and a policy using it."""
    _clear_buyers(connection, keep_shown=False)
    codes = [f"{LIMIT_BUYERS}{i:06d}" for i in range(n)]
    _buyer_rows(connection, codes)
    customer = _customer(connection)
    users = WebUser.__table__
    user = connection.execute(select(users.c.id).where(users.c.login_id == "demo-admin")).scalar_one()
    ids = connection.execute(select(BUYERS.c.id).where(BUYERS.c.code.in_(codes)).order_by(BUYERS.c.code)).scalars()
    for index, buyer in enumerate(list(ids)):
        confirmation = connection.execute(
            CONFIRMATIONS.insert().returning(CONFIRMATIONS.c.id),
            confirmation_row(f"K2026{500000 + index:06d}", customer, buyer, state="一部使用"),
        ).scalar_one()
        application = connection.execute(
            APPLICATIONS.insert().returning(APPLICATIONS.c.id),
            {"number": f"{RELATED}{700000 + index:06d}", "customer_id": customer, "user_id": user,
             "procedure": "IA1", "status": "submitted", "data": {}, "created_at": MOMENT, "saved_at": MOMENT,
             "listed_at": MOMENT, "updated_at": MOMENT},
        ).scalar_one()  # fmt: skip
        connection.execute(
            EARMARKS.insert(),
            {"confirmation_id": confirmation, "application_id": application, "policy_id": None, "amount": 10_000,
             "amount_jpy": 15_000, "state": "open", "created_at": MOMENT},
        )  # fmt: skip
        connection.execute(POLICIES.insert(), policy_row(f"0120267{index:07d}", customer, buyer, confirmation))


def _own_confirmations(connection, n: int) -> None:
    """The shown buyer's 確認 of the owner: n (its policies go with the old ones)."""
    _clear_buyers(connection, keep_shown=True)
    buyer, customer = _shown_buyer(connection), _customer(connection)
    connection.execute(
        CONFIRMATIONS.insert(),
        [confirmation_row(f"K2026{400000 + i:06d}", customer, buyer) for i in range(n)],
    )


def _own_policies(connection, n: int) -> None:
    """The owner's policies using the shown buyer's first 確認: n."""
    buyer, customer = _shown_buyer(connection), _customer(connection)
    ids = select(CONFIRMATIONS.c.id).where(CONFIRMATIONS.c.buyer_id == buyer)
    _drop_policies(connection, select(POLICIES.c.id).where(POLICIES.c.confirmation_id.in_(ids)))
    first = connection.execute(ids.order_by(CONFIRMATIONS.c.id).limit(1)).scalar()
    if first is None:
        first = connection.execute(
            CONFIRMATIONS.insert().returning(CONFIRMATIONS.c.id), confirmation_row("K2026399999", customer, buyer)
        ).scalar_one()
    connection.execute(POLICIES.insert(), [policy_row(f"0120266{i:07d}", customer, buyer, first) for i in range(n)])


# --- 5-2 簡易通知型 ---------------------------------------------------------------------------------

CONTRACTS, REGISTRATIONS, SHIPMENTS = (
    BlanketContract.__table__, BlanketRegistration.__table__, BlanketShipment.__table__,
)  # fmt: skip
BLANKET_PREFIX = "0520908"  # the listed 包括保険契約 (保険期間 in 2090, as the listed policies)
BLANKET_DETAILED = "05209099999999"
NOTICES = "W20260417"  # + 6 digits: the IE1 that recorded the recipe shipments


def _drop_contracts(connection, ids) -> None:
    notices = select(SHIPMENTS.c.application_id).where(SHIPMENTS.c.contract_id.in_(ids))
    applications = list(connection.execute(notices).scalars())
    connection.execute(delete(SHIPMENTS).where(SHIPMENTS.c.contract_id.in_(ids)))
    connection.execute(delete(APPLICATIONS).where(APPLICATIONS.c.id.in_(applications)))
    connection.execute(delete(REGISTRATIONS).where(REGISTRATIONS.c.contract_id.in_(ids)))
    connection.execute(delete(CONTRACTS).where(CONTRACTS.c.id.in_(ids)))


def _contract(number: str, customer: int) -> dict:
    return {"number": number, "customer_id": customer, "post_political": Decimal("97.5"),
            "post_commercial": Decimal("90"), "starts_on": FUTURE, "ends_on": date(2090, 12, 31), "state": "有効",
            "created_at": MOMENT, "updated_at": MOMENT, "version": 0}  # fmt: skip


def _shipments(connection, contract_ids: list[int], per_contract: int, serial: int) -> None:
    """`per_contract` shipments under each contract, each recorded by an IE1 of demo-admin's."""
    customer, buyer = _customer(connection), _a_buyer(connection)
    users = WebUser.__table__
    user = connection.execute(select(users.c.id).where(users.c.login_id == "demo-admin")).scalar_one()
    for index, contract in enumerate(contract_ids):
        for position in range(per_contract):
            application = connection.execute(
                APPLICATIONS.insert().returning(APPLICATIONS.c.id),
                {"number": f"{NOTICES}{serial + index * per_contract + position:06d}", "customer_id": customer,
                 "user_id": user, "procedure": "IE1", "status": "completed", "data": {}, "target_key": None,
                 "created_at": MOMENT, "saved_at": MOMENT, "listed_at": MOMENT, "updated_at": MOMENT},
            ).scalar_one()  # fmt: skip
            connection.execute(
                SHIPMENTS.insert(),
                {"contract_id": contract, "customer_id": customer, "application_id": application,
                 "aggregation": "個別", "shipped_on": date(2090, 2, 1), "buyer_id": buyer, "destination": "304",
                 "currency": "USD", "amount": 10_000 + position, "count": None, "settlement_method": "送金",
                 "due_on": date(2090, 5, 1), "usance_days": 89, "post_political": Decimal("97.5"),
                 "post_commercial": Decimal("90"), "settled": 0, "state": "有効",
                 "history": [{"date": "2090-02-10", "application": "W20260417999999", "kind": "訂正",
                              "amount": "9000", "currency": "USD", "shipped_on": "2090-02-01",
                              "due_on": "2090-05-01"}],
                 "created_at": MOMENT, "updated_at": MOMENT, "version": 0},
            )  # fmt: skip


def _found_blankets(connection, n: int) -> None:
    """n 包括保険契約 the list's criterion finds, each with two recorded shipments."""
    listed = select(CONTRACTS.c.id).where(CONTRACTS.c.number.startswith(BLANKET_PREFIX))
    _drop_contracts(connection, listed)
    customer = _customer(connection)
    connection.execute(CONTRACTS.insert(), [_contract(f"{BLANKET_PREFIX}{i:07d}", customer) for i in range(n)])
    _shipments(connection, list(connection.execute(listed).scalars()), 2, 0)


def _blanket_shipments(connection, n: int) -> None:
    """The detailed contract with one 簡易包括登録 and n recorded shipments."""
    shown = select(CONTRACTS.c.id).where(CONTRACTS.c.number == BLANKET_DETAILED)
    _drop_contracts(connection, shown)
    customer = _customer(connection)
    contract = connection.execute(
        CONTRACTS.insert().returning(CONTRACTS.c.id), _contract(BLANKET_DETAILED, customer)
    ).scalar_one()
    connection.execute(
        REGISTRATIONS.insert(),
        {"contract_id": contract, "customer_id": customer, "buyer_id": _a_buyer(connection), "country": "304",
         "limit_jpy": 1_000_000, "state": "有効", "created_at": MOMENT},
    )  # fmt: skip
    _shipments(connection, [contract], n, 500000)


def _policy_criteria(**values) -> dict:
    empty = {"number": "", "product": "", "buyer": "", "state": "", "period_from": "", "period_to": ""}
    return empty | values


ROWS = {
    "inquiry_policies": Rows(_found_policies, "table.table--inquiry-policies tbody tr:not(.blanket-row)"),
    "inquiry_blankets": Rows(_found_blankets, "table.table--inquiry-policies tbody tr.blanket-row"),
    "inquiry_blanket_shipments": Rows(_blanket_shipments, "table.table--blanket-shipments tbody tr"),
    "inquiry_policy_instalments": Rows(_instalments, "table.table--policy-schedule tbody tr"),
    "inquiry_policy_changes": Rows(_changes, "table.table--policy-changes tbody tr"),
    "inquiry_policy_related": Rows(_related, "table.table--policy-related tbody tr"),
    "inquiry_limits": Rows(_limit_buyers, "table.table--inquiry-limits tbody tr"),
    "inquiry_own_confirmations": Rows(_own_confirmations, "table.table--own-confirmations tbody tr"),
    "inquiry_own_limit_policies": Rows(_own_policies, "table.table--own-limit-policies tbody tr"),
}

RECIPES = {
    "inquiry.policies": Recipe(
        lambda app: {"criteria": _policy_criteria(period_from=FUTURE.isoformat())},
        ("inquiry_policies", "inquiry_blankets"),
    ),
    "inquiry.blanket": Recipe(
        lambda app: {"key": f"{BLANKET_DETAILED}-00", "criteria": _policy_criteria(number=BLANKET_DETAILED)},
        ("inquiry_blanket_shipments",),
    ),
    "inquiry.policy": Recipe(
        lambda app: {"key": f"{DETAILED}-00", "criteria": _policy_criteria(number=DETAILED)},
        ("inquiry_policy_instalments", "inquiry_policy_changes", "inquiry_policy_related"),
    ),
    "inquiry.limits": Recipe(lambda app: {"criteria": {"buyer": "recipe limit"}}, ("inquiry_limits",)),
    "inquiry.limit": Recipe(
        lambda app: {"code": SHOWN_BUYER, "criteria": {"buyer": ""}},
        ("inquiry_own_confirmations", "inquiry_own_limit_policies"),
    ),
}
