"""What 設備財 (IB1) and 消費財 (IC1) 包括保険 share (DOMAIN.md 9-4): the 組合 the member files
through — one of its own memberships for the product, shown as 保険契約者 on 確認, on NEXI's 完了
and kept on the policy — and the 申込期限 at the end of the month after a given month.
"""

from datetime import date, timedelta

from nexi import fields, registrations
from nexi.clock import add_months
from nexi.inputs import LazyChoiceField
from nexi.procedures.engine import Deadline
from nexi.procedures.insurance import completion

HOLDER = "保険契約者"


def association_field(product: str) -> LazyChoiceField:
    """組合: one of the customer's memberships for `product` (C.4: read for the logged-in customer;
    another association is no choice)."""

    def options(form):
        codes = registrations.memberships(form.context.customer.id, product)
        return [(code, f"{registrations.ASSOCIATION_LABELS.get(code, code)}（{registrations.association_name(code)}）")
                for code in codes]  # fmt: skip

    return LazyChoiceField(
        "組合",
        validators=fields._presence("組合", True, None, choose=True),
        thing="組合",
        options=options,
        show=registrations.association_name,
        description="保険契約者となる組合です（貴社が組合員のもの）。",
    )


def initial(product: str, base):
    """`base` prefill, with the 組合 chosen when the customer is a member of only one."""

    def prefill(context) -> dict:
        values = base(context)
        codes = registrations.memberships(context.customer.id, product)
        if len(codes) == 1:
            values.setdefault("contract", {})["association"] = codes[0]
        return values

    return prefill


def holder(values: dict) -> str:
    return f"{HOLDER}：{registrations.association_name(values.get('association'))}"


def month_after_end(day: date | None) -> date | None:
    """The last day of the month after `day`'s month (9-4 設備財 / 消費財 申込期限)."""
    return add_months(day.replace(day=1), 2) - timedelta(days=1) if day else None


def deadline(due, month: str) -> Deadline:
    """A late 申込 (after `due`) gets a warning and 期限超過, and is still accepted (9-4)."""
    return Deadline(due=due, warning=f"{month}の翌月末（{{due}}）を過ぎたお申込みです。期限超過として扱われます。")


def complete(product: str, details):
    """completion.complete with the 組合 and `details(values)` kept on the policy, and the 組合
    named as 保険契約者 in the result."""

    def extra(values: dict, customer_id: int) -> dict:
        return {"association": values.get("association"), "details": details(values)}

    hook = completion.complete(product, extra=extra)

    def completed(application, inputs: dict) -> dict:
        result = hook(application, inputs)
        name = registrations.association_name(application.answers().get("association"))
        return {**result, HOLDER: name}

    return completed
