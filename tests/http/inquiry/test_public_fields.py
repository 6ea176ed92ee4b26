"""5-1 shows the public fields of the register only (C.4.1): for a buyer with a 設定額 and with
amounts in use, no inquiry response — the list, the detail, the CSV, in either transport — holds
any of its amounts, nor the names of the amounts kept from customers."""

import pytest
from sqlmodel import col, update

from nexi import db, register
from nexi.models import Buyer
from tests.http.inquiry.helpers import download, search

LIMIT = 987_654_321  # the 設定額 of the buyer looked at
USED = 246_813_579  # 使用額 + 予約額 of every customer (register.committed)
HIDDEN_WORDS = ("設定額", "使用額", "予約額", "残高", "信用調査報告書")


def _digits(amount: int) -> list[str]:
    return [str(amount), f"{amount:,}", f"{amount // 10_000:,}", f"{amount / 100_000_000:.2f}"]


@pytest.fixture
def amounts(app, monkeypatch):
    with app.app_context():
        db.session().exec(update(Buyer).where(col(Buyer.code) == "304-000101").values(limit_amount=LIMIT))
        db.session().commit()
    monkeypatch.setattr(register, "committed", lambda buyer: USED)


def _reveals(text: str) -> list[str]:
    found = [digits for amount in (LIMIT, USED) for digits in _digits(amount) if digits in text]
    return found + [word for word in HIDDEN_WORDS if word in text]


def test_no_response_of_the_inquiry_shows_an_amount_of_the_register(amounts, both):
    both.login("demo-user")
    listed = search(both, code="304-000101")
    assert listed.select("table.table--inquiry-buyers tbody tr") and "枠あり" in listed.screen_text
    assert _reveals(listed.html) == []
    by_name = search(both, name="acme")
    assert _reveals(by_name.html) == []
    detail = both.go("inquiry.buyer", {"buyer": "304-000101"})
    assert "枠あり" in detail.text(".buyer-detail") and _reveals(detail.html) == []
    both.go("inquiry.buyer_back")
    response, rows = download(both, "inquiry.buyer_csv")
    assert rows[1][0] == "304-000101" and "枠あり" in rows[1]
    assert _reveals(response.get_data().decode("utf-8")) == []


def test_the_help_of_the_screen_names_no_amount_either(amounts, portal):
    portal.login("demo-user")
    page = portal.get(portal.url("guide.help_topic", topic="inquiry.buyers"))
    assert _reveals(page.html) == []
