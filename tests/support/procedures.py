"""Valid answers for the buyer procedures, and a helper that walks a procedure to 確認."""

from datetime import timedelta

from nexi.clock import today

B01 = {
    "buyer": {"name_en": "NORTHWIND TRADERS LTD", "country": "304", "address": "10 Harbor Road", "city": "Seattle"},
    "company": {"office_type": "head", "industry": "商社", "established": "1999"},
    "report": {"desired_class": "E", "fiscal_end": "", "report_mode": "request", "fee_ack": "y"},
    "plan": {"product": "01", "planned_amount": "100,000", "planned_currency": "USD", "payment_terms": "その他",
             "usance": "90"},
}  # fmt: skip


def b01(**changes) -> dict:
    """B01 answers with some steps' answers replaced: b01(report={...})."""
    answers = {step: dict(values) for step, values in B01.items()}
    answers["report"]["fiscal_end"] = (today() - timedelta(days=100)).isoformat()
    for step, values in changes.items():
        answers[step] = {**answers.get(step, {}), **values}
    return answers


def start(portal, endpoint: str):
    page = portal.go(endpoint)
    if "手続きの流れ" in page.h1:
        page = portal.go("procedure.intro", {"action": "next"})
    return page


def walk(portal, endpoint: str, answers: dict):
    """Start a procedure and answer each step in turn; returns the last page (確認 if all valid)."""
    page = start(portal, endpoint)
    for values in answers.values():
        if "申込内容確認" in page.h1:
            break
        page = portal.go("procedure.input_submit", {"action": "next", **values})
        if page.error_summary:
            return page
    return page


def submit(portal, endpoint: str, answers: dict) -> str:
    """Walk a procedure to 確認 and 申込む: its Web申込番号."""
    page = walk(portal, endpoint, answers)
    assert page.h1.endswith("（申込内容確認）"), page.error_summary
    number = page.text(".panel .number")
    assert portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"}).h1.endswith("（申込完了）")
    return number
