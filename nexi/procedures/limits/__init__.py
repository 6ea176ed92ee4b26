"""10章 個別保証枠等に関する手続き (DOMAIN.md §10): L01 確認申請, flow R."""

from nexi import limits, masters
from nexi.procedures.buyers.rules import find
from nexi.procedures.engine import Context, Findings, Procedure, Step
from nexi.procedures.limits import completion, forms
from nexi.text import bounded_int

NO_CONFIRMATION_NEEDED = ("GS", "GA", "GE", "SA")  # G- and SA-rated: covered without a 確認 (10-1)


def _target(values: dict) -> tuple[str, str | None]:
    code = values.get("buyer_code", "")
    buyer = find(code)
    return (f"{code} {buyer.name_en}" if buyer else code, code or None)


def _check(context: Context) -> Findings:
    """10-1 against the register and today's masters: the payer's rating must be one that needs a
    確認 (EE/EA/EM/EF), EM/EF at most 365 days' usance, and the 仕向国 not 引受停止. Nothing about
    the buyer's 残高 is checked or shown on the customer side (C.4.1)."""
    values = context.values
    findings = Findings()
    buyer = find(values.get("buyer_code"))
    if buyer is not None:
        rating = masters.ratings().get(buyer.rating)
        if buyer.rating in NO_CONFIRMATION_NEEDED:
            findings.error(
                "request", "buyer_code", f"格付{buyer.rating}の支払人は個別保証枠の確認は不要です（確認不要）"
            )
        elif rating is None or rating.cover == "不可":
            findings.error(
                "request",
                "buyer_code",
                f"格付{buyer.rating}の支払人は信用危険のてん補ができないため、確認申請はできません",
            )
        elif buyer.rating in ("EM", "EF") and (bounded_int(str(values.get("usance_days", "")), 0) or 0) > 365:
            findings.error("request", "usance_days", f"格付{buyer.rating}の支払人のユーザンスは365日以内です")
    country = masters.countries().get(values.get("destination", ""))
    if country is not None and country.policy == "引受停止":
        findings.error("request", "destination", f"{country.name_ja}は引受停止国のため、確認申請はできません")
    if values.get("settlement_method") in forms.LC_METHODS:
        findings.inform("G格付またはSA格付の銀行が発行・確認するL/Cによる決済の場合は、個別保証枠の確認は不要です。")
    return findings


def _payer_limit(values: dict) -> list[tuple[str, str]]:
    """For NEXI's 確認額 (S.3): the payer's 個別保証枠 across customers — staff only (C.4.1)."""
    buyer = find(values.get("buyer_code"))
    if buyer is None:
        return []
    held = limits.amounts(buyer)
    return [
        ("支払人", f"{buyer.code} {buyer.name_en}（格付{buyer.rating}）"),
        ("個別保証枠 設定額", f"{held.limit:,}円"),
        ("使用額", f"{held.used:,}円"),
        ("予約額", f"{held.reserved:,}円"),
        ("残高", f"{held.balance:,}円"),
    ]


CONFIRMATION = Procedure(
    code="L01",
    title="個別保証枠取得（確認申請）",
    section="10-1",
    chapter="limits",
    path="confirmation",
    complete=completion.complete_confirmation,
    result_form=completion.ConfirmationResultForm,
    staff_facts=_payer_limit,
    steps=(Step("request", "確認申請の内容", forms.ConfirmationRequestForm),),
    describe=_target,
    check=_check,
    intro=(
        "保険の申込みの前に、支払人（格付EE・EA・EM・EF）の個別保証枠を予約する手続きです。"
        "NEXIが審査し、確認額と確認管理番号をお知らせします。確認は承認日から3か月有効で、"
        "有効期間内であれば複数の保険申込みに使用できます。\n"
        "保険の申込みでは、確認管理番号を入力すると、船積後の保険価額がこの確認から引き当てられます。"
    ),
)

from nexi.procedures.limits.give_back import GIVE_BACK  # noqa: E402  (L02, 10-2)
from nexi.procedures.limits.settlement import SETTLEMENT  # noqa: E402  (L03, 10-3)

PROCEDURES = (CONFIRMATION, GIVE_BACK, SETTLEMENT)
