"""The input step of L01 個別保証枠確認申請 (DOMAIN.md 10-1), labelled as the manual does."""

from wtforms import ValidationError

from nexi import fields
from nexi.clock import add_months, today
from nexi.forms import NexiForm
from nexi.procedures.buyers.rules import Registered

# 9-1 決済方法; the L/C ones may need no 確認 (10-1)
SETTLEMENT_METHODS = [(name, name) for name in ("L/C一覧払", "L/C期限付", "D/P", "D/A", "送金", "その他")]
LC_METHODS = ("L/C一覧払", "L/C期限付")
# 10: the products whose credit cover draws on a 個別保証枠
LIMIT_PRODUCTS = [("01", "貿易一般保険（個別）"), ("02", "設備財包括保険"), ("06", "中小企業・農林水産業輸出代金保険")]


def _planned_window(form, field):
    """契約予定日: from one month back to six months ahead of today (10-1)."""
    if field.data is None:
        return
    earliest, latest = add_months(today(), -1), add_months(today(), 6)
    if not earliest <= field.data <= latest:
        raise ValidationError(
            f"契約予定日は{earliest.year}年{earliest.month}月{earliest.day}日から"
            f"{latest.year}年{latest.month}月{latest.day}日までの日付を入力してください"
        )


class ConfirmationRequestForm(NexiForm):
    """L01: 確認申請の内容."""

    sections = [
        ("支払人と保険種別", ["buyer_code", "product"]),
        ("確認申請金額", ["currency", "amount"]),
        ("取引の予定", ["planned_on", "usance_days", "settlement_method", "destination"]),
        ("備考", ["note"]),
    ]
    buyer_code = fields.buyer_code("バイヤーコード（支払人）", extra=[Registered("バイヤーコード")])
    product = fields.choice("保険種別", LIMIT_PRODUCTS)
    currency = fields.currency()
    amount = fields.amount("確認申請金額", currency="currency")
    planned_on = fields.day("契約予定日")
    usance_days = fields.whole_number("ユーザンス（日）", 0, 729, hint="一覧払の場合は0を入力してください。")
    settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS)
    destination = fields.country("仕向国")
    note = fields.text("備考", 500, required=False, multiline=True)

    def validate_planned_on(self, field):
        _planned_window(self, field)
