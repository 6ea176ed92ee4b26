"""K01 期中企総登録 (DOMAIN.md 8-1, S.3), flow R: add a buyer (payer) to the customer's 企業総合 特約
during the term and ask for a 支払限度額. NEXI's 完了 creates the 企総登録 with the limit it sets
(none or 0 = no limit)."""

from sqlmodel import select
from wtforms import ValidationError

from nexi import db, fields, masters, registrations
from nexi.clock import now, today
from nexi.conditions import When
from nexi.forms import NexiForm
from nexi.models import RegistrationState, RiderBuyer
from nexi.procedures.buyers.rules import Registered, find
from nexi.procedures.comprehensive import own
from nexi.procedures.comprehensive.history import audited
from nexi.procedures.engine import Context, Exclusive, Findings, Procedure, Refused, Step
from nexi.procedures.insurance.checks import ELIGIBLE_BANKS, SUSPENDED
from nexi.procedures.insurance.common import LC_METHODS, SETTLEMENT_METHODS
from nexi.text import amount_of, bounded_int

STEP_BUYER, STEP_TERMS = "buyer", "terms"
NINETY_RATINGS = ("EM", "EF")  # 8-1: without a track record no limit, 50 % cover; 90 % on request
BY_LC = When("settlement_method", *LC_METHODS)


def credit_excluded(rating_code: str | None) -> bool:
    """M.3: a rating whose credit risk cannot be covered (不可)."""
    rating = masters.ratings().get(rating_code or "")
    return rating is not None and rating.cover == "不可"


class BuyerForm(NexiForm):
    """8-1 登録するバイヤー: 特約, 部門, バイヤーコード, 仕向国."""

    sections = [("特約", ["rider_number", "department"]), ("バイヤー", ["buyer_code", "destination"])]
    rider_number = own.rider_field()
    department = own.department_field()
    buyer_code = fields.buyer_code("バイヤーコード")
    destination = fields.country("仕向国")

    def validate_department(self, field):
        if not field.data or self.context is None or not self.rider_number.data:
            return
        covered = {(number, code) for number, code, _ in own.departments(self.context.customer.id)}
        if (self.rider_number.data, field.data) not in covered:
            raise ValidationError("部門は選択した特約の対象の部門から選択してください")

    def validate_buyer_code(self, field):
        if not field.data or field.errors:
            return
        if find(field.data) is None:
            raise ValidationError(f"バイヤーコード「{field.data}」は海外商社名簿に登録されていません。{own.B01_HINT}")
        customer = getattr(self.context, "customer", None)
        if customer is not None and own.registered(customer.id, self.rider_number.data, field.data):
            raise ValidationError(f"バイヤーコード「{field.data}」はこの特約にすでに企総登録されています")


class TermsForm(NexiForm):
    """8-1 取引条件と支払限度額."""

    sections = [
        ("決済条件", ["settlement_method", "usance_days", "lc_bank_code"]),
        ("取引額と支払限度額", ["annual_amount", "desired_limit", "ninety_percent"]),
        ("理由・備考", ["note"]),
    ]
    settlement_method = fields.choice("決済方法", SETTLEMENT_METHODS)
    usance_days = fields.whole_number("最長ユーザンス（日）", 0, 729, hint="一覧払の場合は0を入力してください。")
    lc_bank_code = fields.buyer_code("L/C発行銀行", when=BY_LC, extra=[Registered("L/C発行銀行")])
    annual_amount = fields.amount("予定年間取引額（円）", currency=lambda form: "JPY")
    desired_limit = fields.amount(
        "希望支払限度額（円）",
        currency=lambda form: "JPY",
        required=False,
        hint="空欄の場合は、NEXIが支払限度額を判断します。カンマ（,）を入れても構いません。",
    )
    ninety_percent = fields.checkboxes(
        "90%てん補希望",
        [("y", "船後の信用危険の90%てん補を希望する")],
        required=False,
        hint="格付EM・EFのバイヤーの場合に選択できます。",
    )
    note = fields.text("理由・備考", 1000, required=False, multiline=True)

    def buyer(self):
        return find((self.answers or {}).get("buyer_code"))

    def validate_desired_limit(self, field):
        buyer = self.buyer() if field.data is not None else None
        if buyer is not None and credit_excluded(buyer.rating):
            raise ValidationError(
                f"格付{buyer.rating}のバイヤーは信用危険のてん補ができないため、希望支払限度額は空欄にしてください"
            )

    def validate_ninety_percent(self, field):
        buyer = self.buyer() if "y" in (field.data or []) else None
        if buyer is not None and buyer.rating not in NINETY_RATINGS:
            raise ValidationError("90%てん補希望は、格付EM・EFのバイヤーの場合に選択できます")


def _check(context: Context) -> Findings:
    """8-1 against today's masters: a 引受停止 仕向国 is an error; an L/C of a G- or SA-rated bank
    needs no limit, and the 2.8 times premium rate of a 90 % request, are said on 確認."""
    values = context.values
    findings = Findings()
    country = masters.countries().get(values.get("destination") or "")
    if country is not None and country.policy == SUSPENDED:
        findings.error(STEP_BUYER, "destination", f"仕向国（{country.name_ja}）は引受停止国のため、お申込みできません")
    bank = find(values.get("lc_bank_code")) if values.get("settlement_method") in LC_METHODS else None
    if bank is not None and bank.rating in ELIGIBLE_BANKS:
        findings.inform(
            f"L/C発行銀行（{bank.code}、格付{bank.rating}）はG格付・SA格付の銀行のため、"
            "このL/Cによる決済には支払限度額は不要です。"
        )
    buyer = find(values.get("buyer_code"))
    if buyer is not None and buyer.rating in NINETY_RATINGS:
        if "y" in (values.get("ninety_percent") or []):
            findings.inform(
                "90%てん補を希望されたため、NEXIが支払限度額を設定した場合、このバイヤーの船後の信用危険の保険料率は2.8倍となります。"
            )
        else:
            findings.inform(
                f"格付{buyer.rating}のバイヤーは、支払限度額が設定されない場合、船後の信用危険は50%てん補"
                "（保険金の支払は10億円まで）となります。"
            )
    return findings


class RegistrationResultForm(NexiForm):
    """S.3 K01: the 支払限度額 NEXI sets (blank or 0 = no limit)."""

    help_prefix = "shared.rider_result"
    limit = fields.amount(
        "支払限度額（円）",
        currency=lambda form: "JPY",
        required=False,
        zero=True,
        hint="空欄または0の場合は、支払限度額なしで登録します。",
    )

    @staticmethod
    def defaults(answers: dict, _application) -> dict:
        return {"limit": answers.get("desired_limit") or ""}

    def validate_limit(self, field):
        buyer = find(self.answers.get("buyer_code")) if field.data else None
        if buyer is not None and credit_excluded(buyer.rating):
            raise ValidationError(f"格付{buyer.rating}のバイヤーには支払限度額を設定できません")


def complete(application, inputs: dict) -> dict:
    """The 企総登録 (8-1): 有効, with the limit NEXI set and its 設定日 today (none: no limit). A
    registration of the buyer 削除 earlier under the same 特約 is taken up again (one row per pair)."""
    values = application.answers()
    rider = registrations.own_rider(application.customer_id, values.get("rider_number"))
    if rider is None or rider.state not in registrations.RIDER_LIVE:
        raise Refused("特約が有効ではありません。差戻しまたは不承認としてください。")
    buyer = find(values.get("buyer_code"))
    if buyer is None:
        raise ValueError("the buyer is no longer registered")
    typed = amount_of(inputs.get("limit")) if inputs.get("limit") not in (None, "") else None
    limit = int(typed) if typed else None
    session = db.session()
    row = session.exec(
        select_pair(rider.id, buyer.id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if row is not None and row.state == RegistrationState.IN_FORCE:
        raise Refused("このバイヤーはすでにこの特約に企総登録されています。差戻しまたは不承認としてください。")
    moment, day = now(), today()
    before = own.snapshot(row) if row is not None else None
    if row is None:
        row = RiderBuyer(rider_id=rider.id, customer_id=application.customer_id, buyer_id=buyer.id,
                         destination="", settlement_method="", created_at=moment, updated_at=moment)  # fmt: skip
    else:
        row.version += 1
    row.destination = values.get("destination") or ""
    row.settlement_method = values.get("settlement_method") or ""
    row.max_usance_days = bounded_int(values.get("usance_days"), 0, 729)
    row.limit_jpy, row.limit_set_on = limit, day if limit else None
    row.state, row.updated_at = RegistrationState.IN_FORCE, moment
    session.add(row)
    session.flush()
    audited("registered", row, before)
    own.forget()
    return {
        "特約番号": rider.number,
        "バイヤーコード": f"{buyer.code} {buyer.name_en}",
        "支払限度額": own.yen(limit),
        "限度額設定日": own.japanese_day(day) if limit else "—",
    }


def select_pair(rider_id: int, buyer_id: int):
    """The 企総登録 row of the pair, in whatever state (the pair is unique)."""
    return select(RiderBuyer).where(RiderBuyer.rider_id == rider_id, RiderBuyer.buyer_id == buyer_id)


REGISTRATION = Procedure(
    code="K01",
    title="期中企総登録",
    section="8-1",
    chapter="comprehensive",
    path="registration",
    steps=(Step(STEP_BUYER, "登録するバイヤー", BuyerForm), Step(STEP_TERMS, "取引条件と支払限度額", TermsForm)),
    describe=own.describe,
    check=_check,
    initial=own.initial(STEP_BUYER),
    exclusive=(
        Exclusive(
            key=own.target_key,
            message="このバイヤーのこの特約への期中企総登録は、すでに申込み中です（1件まで）",
            step=STEP_BUYER,
            field="buyer_code",
        ),
    ),
    complete=complete,
    result_form=RegistrationResultForm,
    eligible=registrations.holds(registrations.HOLDS_RIDER),
    ineligible=registrations.REASONS[registrations.HOLDS_RIDER],
    intro=(
        "企業総合保険特約の期間の途中で、支払人となる海外商社（バイヤー）を特約に追加し（企総登録）、"
        "保険金支払限度額を申請する手続きです。\n"
        "バイヤーは海外商社名簿に登録されている必要があります。未登録の場合は、先に「海外商社新規登録」をお申込みください。"
        "NEXIが審査し、支払限度額を設定して企総登録します（支払限度額なしの登録もあります）。"
        "結果は「Web申込状況一覧」でご確認ください。"
    ),
)
