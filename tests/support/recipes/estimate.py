"""Statement budget recipe of ⑭ 保険料試算 (§6): the screen with an estimate shown (6-3 case 1 for
the buyer 304-000101, rated EA) — the most it reads: the masters of the 試算日, the result and its
chart. The rating is the kept one, as after 試算する (a バイヤーコード is looked up when posted)."""

from tests.http.estimate.cases import CASE_1
from tests.support.recipes import Recipe

# 6-3 case 1 as the form posts it, the rating given by the バイヤーコード
VALUES = {key: value for key, value in CASE_1.items() if key != "rating"} | {
    "rating_mode": "code",
    "buyer_code": "304-000101",
}
INPUTS = {
    "product": "01",
    "scope": "both",
    "country": "105",
    "rating": "EA",
    "currency": "JPY",
    "amount": "10000000",
    "usance": "90",
    "post_political": "100",
    "post_commercial": "90",
    "commodity": "一般",
    "advance": "0",
    "fob": "9500000",
    "contract_date": "2026-04-01",
    "last_shipment": "2026-05-31",
    "pre_political": "80",
    "pre_commercial": "80",
    "buyer_code": "304-000101",
}

RECIPES = {
    "estimate.index": Recipe(lambda app: {"values": VALUES, "rating": "EA", "inputs": INPUTS, "day": "2026-04-15"})
}
