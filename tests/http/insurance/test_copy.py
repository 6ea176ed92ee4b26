"""C.7 控え of the contract-book procedures: the printable copy of a submitted IA1 and L01 shows what
was applied for — each step's answers with the 決済スケジュール rows — under its Web申込番号."""

from bs4 import BeautifulSoup

from tests.http.insurance.helpers import ENDPOINT, L01, ia1, l01_request
from tests.support.procedures import submit


def copy_of(portal, number: str) -> BeautifulSoup:
    portal.go("status.detail", {"number": number})
    response = portal.client.post(
        "/status/copy", data={"csrf_token": portal.csrf, "_nav": portal.token, "number": number}
    )
    assert response.status_code == 200
    assert f'filename="{number}.html"' in response.headers["Content-Disposition"]
    return BeautifulSoup(response.data.decode(), "html5lib")


def shown(copy: BeautifulSoup) -> str:
    return " ".join(copy.get_text(" ").split())


def test_the_copy_of_an_ia1_shows_every_step_and_the_schedule(portal):
    portal.login("demo-user")
    answers = ia1(schedule=[("2099-01-10", "40,000.00"), ("2099-02-10", "60,000.00")])
    number = submit(portal, ENDPOINT, answers)
    copy = copy_of(portal, number)
    text = shown(copy)
    assert number in copy.select_one(".number").get_text()
    headings = [h.get_text(strip=True) for h in copy.select("h2, h3")]
    assert {"契約・当事者", "貨物・金額・決済", "付保・確認"} <= set(headings), headings
    assert "304-000101" in text and "工作機械" in text and "100,000.00" in text
    assert "第1回 決済期限 2099年1月10日 金額 40,000.00" in text
    assert "第2回 決済期限 2099年2月10日 金額 60,000.00" in text


def test_the_copy_of_an_l01_shows_the_request(portal):
    portal.login("demo-user")
    number = submit(portal, L01, l01_request(amount="12,345.00"))
    text = shown(copy_of(portal, number))
    assert "304-000101" in text and "12,345.00" in text and "送金" in text
