"""The four cases of DOMAIN.md 6-3 as the form posts them (試算日 2026-04-15)."""

NOW = "2026-04-15T10:00"

CASE_1 = {
    "product": "01",
    "scope": "both",
    "country": "105",
    "rating_mode": "select",
    "rating": "EA",
    "commodity": "一般",
    "currency": "JPY",
    "amount": "10,000,000",
    "advance": "0",
    "fob": "9,500,000",
    "contract_date": "2026-04-01",
    "last_shipment": "2026-05-31",
    "usance": "90",
    "pre_political": "80",
    "pre_commercial": "80",
    "post_political": "100",
    "post_commercial": "90",
}
CASE_2 = CASE_1 | {"rating": "EC"}
CASE_3 = {
    "product": "02",
    "scope": "post",
    "country": "123",
    "rating_mode": "select",
    "rating": "EE",
    "commodity": "機械設備",
    "currency": "JPY",
    "amount": "50,000,000",
    "advance": "5,000,000",
    "usance": "180",
    "post_political": "97.5",
    "post_commercial": "90",
}
CASE_4 = {
    "product": "04",
    "scope": "post",
    "country": "304",
    "rating_mode": "select",
    "rating": "EM",
    "commodity": "一般",
    "currency": "USD",
    "amount": "250,000.00",
    "advance": "12,345.67",
    "usance": "120",
    "post_political": "97.5",
    "post_commercial": "50",
}
CASES = {"1": CASE_1, "2": CASE_2, "3": CASE_3, "4": CASE_4}
TOTALS = {"1": "30,395円", "2": "14,285円", "3": "230,204円", "4": "25,693円"}


def open_estimate(portal):
    """The menu entry ⑭ 保険料試算 from the user page."""
    return portal.go("estimate.index")


def estimate(portal, values: dict, action: str = "estimate"):
    return portal.go("estimate.calculate", {"action": action, **values})
