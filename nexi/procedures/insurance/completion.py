"""What a 9-1 application does to the contract book (DOMAIN.md §10, 9-5, S.3): 申込む earmarks the
船後保険価額 on the quoted 確認, 取下げ / 不承認 give it back, and NEXI's 完了 checks 9-3 again and
creates the policy (証券番号, 決済スケジュール, 保険料, 保険責任開始日), turning the earmark into 使用額.
"""

from datetime import date, timedelta

from sqlmodel import select

from nexi import db, fields, limits, masters
from nexi.applications import Conflict
from nexi.clock import JST, now, today
from nexi.forms import NexiForm
from nexi.models import Customer, Department, Instalment, Policy
from nexi.procedures.engine import Refused
from nexi.procedures.insurance import checks
from nexi.procedures.insurance.checks import Deal, buyers_of, japanese, minor, needs_confirmation, own_confirmation
from nexi.procedures.insurance.common import STEP_COVER
from nexi.sequences import next_value
from nexi.text import amount_of, bounded_int

LIABILITY_DAYS = 5  # 9-4 個別: the 5th day after the application day, not counting that day


def applied_on(application) -> date:
    """The day of the first 申込む (JST): what 9-4's 保険責任開始 counts from."""
    moment = getattr(application, "submitted_at", None)
    return (moment or now()).astimezone(JST).date()


def submitted(product: str):
    """申込む (10): earmark the 船後保険価額 on the quoted 確認; a resubmission after 差戻し takes it
    again for the edited answers, its expiry judged as of the first 申込む (C.2)."""

    def hook(application, context, first: bool) -> None:
        if not first:  # the edited answers take it again (the released earmark stays on record)
            limits.release(application.id)
        values = context.values
        deal = Deal(values, product)
        buyers = buyers_of(values)
        if not needs_confirmation(deal, buyers, masters.countries()):
            return
        confirmation = own_confirmation(values.get("confirmation_number"), context.customer.id)
        if confirmation is None or deal.post_value is None or deal.decimals is None:
            raise Conflict("確認管理番号の確認が見つかりません", step=STEP_COVER, field="confirmation_number")
        on = (application.submitted_at or now()).astimezone(JST).date()
        try:
            limits.earmark(confirmation.id, application.id, minor(deal.post_value, deal.decimals), deal.decimals, on=on)
        except limits.LimitError as refused:
            message = f"確認管理番号「{confirmation.number}」の確認から引き当てられませんでした：{refused}"
            raise Conflict(message, step=STEP_COVER, field="confirmation_number") from None

    return hook


def ended(application) -> None:
    """取下げ or 不承認: the earmark goes back (10)."""
    limits.release(application.id)


class PolicyResultForm(NexiForm):
    """S.3 I*1: 保険料 (the §6 tariff's proposal) and 保険責任開始日 (the 9-4 rule's), each changed
    only with a reason."""

    help_prefix = "shared.insurance_result"
    application = None  # the application 完了 is for (set by the staff console)
    sections = [
        ("保険料", ["premium", "premium_reason"]),
        ("保険責任開始日", ["liability_from", "liability_reason"]),
    ]
    premium = fields.amount(
        "保険料（円）", currency=lambda form: "JPY", zero=True, hint="料率表による金額が入っています。"
    )
    premium_reason = fields.text("保険料の変更理由", 500, required=False, multiline=True)
    liability_from = fields.day("保険責任開始日", hint="申込日の5日後（申込日を含まない）が入っています。")
    liability_reason = fields.text("保険責任開始日の変更理由", 500, required=False, multiline=True)
    product = "01"
    liability_days = LIABILITY_DAYS  # after the application day (9-4 個別); 0 = the application day (IF)

    @classmethod
    def liability_start(cls, answers: dict, application) -> date:
        """The 9-4 保険責任開始 of the product (a product's result form overrides it)."""
        return applied_on(application) + timedelta(days=cls.liability_days)

    @classmethod
    def proposed(cls, answers: dict, application) -> dict:
        found = checks.reference_premium(answers, cls.product)
        start = cls.liability_start(answers, application)
        return {"premium": str(found.total) if found else "", "liability_from": start.isoformat()}

    @classmethod
    def defaults(cls, answers: dict, application) -> dict:
        return cls.proposed(answers, application)

    def validate(self, extra_validators=None) -> bool:
        """A changed figure needs its reason (an empty optional field runs no validators of its own)."""
        valid = super().validate(extra_validators)
        proposal = self.proposed(self.answers, self.application)
        premium, start = self.premium.data, self.liability_from.data
        if premium is not None and proposal["premium"] and premium != amount_of(proposal["premium"]):
            if not self.premium_reason.data:
                self.premium_reason.errors = ["保険料を料率表の金額から変更する場合は、変更理由を入力してください"]
                valid = False
        if start is not None and start.isoformat() != proposal["liability_from"] and not self.liability_reason.data:
            self.liability_reason.errors = ["保険責任開始日を変更する場合は、変更理由を入力してください"]
            valid = False
        return valid


def _policy_number(product: str, day: date) -> str:
    """保険種別コード(2) + year(4) + serial(8), the serial per product and year (C.6)."""
    return f"{product}{day.year}{next_value(f'policy:{product}:{day.year}'):08d}"


def _schedule(values: dict, decimals: int) -> list[tuple[date, int]]:
    rows = []
    for row in values.get("schedule") or []:
        amount = amount_of(row.get("amount"))
        rows.append((date.fromisoformat(row["due_on"]), minor(amount, decimals)))
    return rows


def complete(product: str, extra=None):
    """S.3 I*1 完了 for `product`; `extra(values, customer_id)` gives the product's own Policy
    columns (association, rider_id, details) and may raise Refused."""

    def hook(application, inputs: dict) -> dict:
        values = application.answers()
        session = db.session()
        customer = session.get(Customer, application.customer_id)
        findings = checks.acceptance(values, product, customer.id, application_id=application.id)
        problems = [message for fields_ in findings.errors.values() for items in fields_.values() for message in items]
        if problems:
            raise Refused("9-3の引受条件を満たさなくなったため完了できません：" + "／".join(problems))
        typed = amount_of(inputs.get("premium"))  # 0円 is a premium (the tariff gives it on small amounts)
        premium = bounded_int(str(typed), 0) if typed is not None else None
        liability = inputs.get("liability_from")
        try:
            liability_from = date.fromisoformat(liability) if isinstance(liability, str) else None
        except ValueError:
            liability_from = None
        if premium is None or liability_from is None:
            raise Refused("保険料と保険責任開始日を入力してください。")
        deal = Deal(values, product)
        decimals = deal.decimals
        buyers = buyers_of(values)
        if decimals is None or "payer" not in buyers or "counterparty_code" not in buyers:
            raise ValueError("the buyer is no longer registered")
        schedule = _schedule(values, decimals)
        day = today()
        fob = amount_of(values.get("fob")) if deal.pre else None
        guarantor, bank = buyers.get("guarantor_code"), buyers.get("lc_bank_code")
        moment = now()

        def rate(name):
            return amount_of(values.get(name)) if values.get(name) not in (None, "") else None

        policy = Policy(
            number=_policy_number(product, day), customer_id=customer.id, application_id=application.id,
            product=product, department_id=_department_id(customer.id, values.get("department")),
            contract_type=values["contract_type"], contract_no=values.get("contract_no") or "",
            contracted_on=date.fromisoformat(values["contracted_on"]),
            effective_on=date.fromisoformat(values["effective_on"]) if values.get("effective_on") else None,
            counterparty_id=buyers["counterparty_code"].id, counterparty_name=values.get("counterparty_name") or "",
            payer_id=buyers["payer"].id, guarantor_id=guarantor.id if guarantor else None,
            lc_bank_id=bank.id if bank else None, lc_confirmed=deal.lc_confirmed,
            destination=values["destination"], goods=values["goods"], commodity=values.get("commodity") or "一般",
            currency=deal.currency, contract_amount=minor(deal.contract, decimals),
            advance=minor(deal.advance, decimals), fob=minor(fob, decimals) if fob is not None else None,
            first_shipment_on=date.fromisoformat(values["first_shipment_on"]),
            last_shipment_on=date.fromisoformat(values["last_shipment_on"]),
            settlement_method=values["settlement_method"], usance_days=deal.usance or 0, cover_pre=deal.pre,
            pre_political=rate("pre_political") if deal.pre else None,
            pre_commercial=rate("pre_commercial") if deal.pre else None,
            post_political=rate("post_political"), post_commercial=rate("post_commercial"),
            value_pre=minor(fob, decimals) if fob is not None else None, value_post=minor(deal.post_value, decimals),
            premium_jpy=premium,
            premium_reason=(inputs.get("premium_reason") or "")[:500],
            liability_reason=(inputs.get("liability_reason") or "")[:500],
            liability_from=liability_from, period_to=max(due for due, _ in schedule),
            foreign_currency_rider="y" in (values.get("foreign_currency_rider") or []),
            created_at=moment, updated_at=moment,
            **(extra(values, customer.id) if extra else {}),
        )  # fmt: skip
        session.add(policy)
        session.flush()
        session.add_all(
            Instalment(policy_id=policy.id, position=position, due_on=due, amount=amount)
            for position, (due, amount) in enumerate(schedule, start=1)
        )
        limits.use(application.id, policy)
        buyers["payer"].last_activity_on = day  # S.5: the payer's dormancy clock restarts
        return {
            "保険証券番号": policy.number,
            "枝番": policy.branch,
            "保険料": f"{premium:,}円",
            "保険責任開始日": japanese(liability_from),
        }

    return hook


def _department_id(customer_id: int, code: str | None) -> int | None:
    if not code:
        return None
    return (
        db.session()
        .exec(select(Department.id).where(Department.customer_id == customer_id, Department.code == code))
        .first()
    )
