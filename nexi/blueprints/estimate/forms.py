"""6-1 保険料試算の入力: one form, its choices read from the master versions of the 試算日.

The choices of 付保範囲 and the four 付保率 follow the chosen 保険種別 and rating (9-1, 9-2). They
are computed on the server from the answers it has (the last ones posted), so they are right
without JavaScript too; 「付保率の選択肢を更新」 posts the answers to narrow them without
estimating. A value the product or rating does not allow is refused at its field, except the
forced ones: a credit-不可 rating's 信用危険 is 0 and 中小企業's cover is 95/95 whatever was posted.
Questions that apply only to 船積前＋船積後 or to one way of giving the rating are revealed in the
browser (data-reveal); without JavaScript they are all shown, their hints say when they apply,
and the answer of one that does not apply is ignored (NexiForm.applies).
"""

from decimal import Decimal

from wtforms import ValidationError

from nexi import estimate, fields
from nexi.clock import today
from nexi.conditions import When
from nexi.estimate import BOTH, POST_ONLY, SCOPES, Tables
from nexi.forms import ChoiceField, JapaneseIntegerField, NexiForm, Required, asked_when
from nexi.inputs import select_choices
from nexi.masters import PRODUCTS
from nexi.procedures.buyers.rules import find

RATING_MODES = [("code", "バイヤーコード"), ("select", "格付を選択")]
PRE_ONLY = "付保範囲が「船積前＋船積後」の場合に入力します（「船積後のみ」の場合は使用しません）。"
PRE_FIELDS = ("fob", "contract_date", "last_shipment", "pre_political", "pre_commercial")
COVER_FIELDS = ("pre_political", "pre_commercial", "post_political", "post_commercial")
DEFAULTS = {
    "scope": BOTH,
    "rating_mode": "code",
    "currency": "JPY",
    "commodity": "一般",
    "pre_political": "80",
    "pre_commercial": "80",
    "post_political": "97.5",
    "post_commercial": "90",
}


def _select(label, *, when=None, hint=None, radio=False):
    """A choice whose options the form sets from the masters it is given (no master read here)."""
    if radio:
        return fields.choice(label, [], radio=True, when=when, hint=hint)
    validators = asked_when(when) + [Required(label, choose=True)]
    return ChoiceField(label, validators=validators, choices=[], description=hint, thing=label)


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


class EstimateForm(NexiForm):
    help_prefix = "estimate.index"
    sections = [
        ("保険の種類", ["product", "scope"]),
        ("支払国・支払人", ["country", "rating_mode", "buyer_code", "rating"]),
        ("金額", ["currency", "amount", "advance", "fob"]),
        ("期間", ["contract_date", "last_shipment", "usance"]),
        ("付保率", list(COVER_FIELDS)),
        ("商品", ["commodity"]),
    ]

    product = _select("保険種別")
    scope = _select(
        "付保範囲", radio=True, hint="簡易通知型包括保険と中小企業・農林水産業輸出代金保険は「船積後のみ」です。"
    )
    country = _select("支払国", hint="L/C取引の場合は、信用状の発行銀行（確認銀行）の国を選択してください。")
    rating_mode = fields.choice("格付の指定", RATING_MODES, radio=True)
    buyer_code = fields.buyer_code(
        when=When("rating_mode", "code"),
        hint="「格付の指定」でバイヤーコードを選んだ場合に入力します。例：304-000123（登録されている格付で試算します）",
    )
    rating = _select(
        "格付", when=When("rating_mode", "select"), hint="「格付の指定」で「格付を選択」を選んだ場合に選択します。"
    )
    currency = _select("通貨")
    amount = fields.amount("契約金額", currency="currency")
    advance = fields.amount(
        "前受金", currency="currency", required=False, zero=True, hint="ない場合は空欄のままで構いません。"
    )
    fob = fields.amount("FOB価額", currency="currency", when=When("scope", BOTH), hint=PRE_ONLY)
    contract_date = fields.day("契約締結日", when=When("scope", BOTH), hint=f"例：2026-04-01。{PRE_ONLY}")
    last_shipment = fields.day("最終船積日", when=When("scope", BOTH), hint=f"例：2026-05-31。{PRE_ONLY}")
    usance = JapaneseIntegerField(
        "ユーザンス（日）",
        validators=[Required("ユーザンス（日）")],
        description="船積日から決済期限までの日数（0〜729日）です。一覧払いの場合は0を入力してください。",
        thing="ユーザンス（日）",
    )
    pre_political = _select("付保率（船積前・非常危険）", when=When("scope", BOTH), hint=PRE_ONLY)
    pre_commercial = _select(
        "付保率（船積前・信用危険）", when=When("scope", BOTH), hint=f"船積前・非常危険の付保率以下です。{PRE_ONLY}"
    )
    post_political = _select("付保率（船積後・非常危険）")
    post_commercial = _select(
        "付保率（船積後・信用危険）",
        hint="信用危険をてん補できない格付（EC等）の場合は0%で試算します。企業総合保険の50%は格付EM・EFの支払人の場合です。",
    )
    commodity = _select("商品区分")

    def __init__(self, *args, tables: Tables | None = None, known_rating: str | None = None, **kwargs):
        """`tables`: the masters of the 試算日 (default today's). The payer's rating (chosen, or the
        バイヤーコード's, looked up unless the screen kept it as `known_rating`) decides the 付保率
        offered."""
        super().__init__(*args, **kwargs)
        self.tables = tables = tables or estimate.tables_on(today())
        if known_rating is not None:
            self._rating = known_rating
        countries = sorted(tables.countries.items())
        self.product.choices = select_choices([("", "選択してください"), *PRODUCTS.items()])
        self.country.choices = select_choices(
            [("", "選択してください")] + [(code, f"{row.name_ja}（{code}）") for code, row in countries]
        )
        self.rating.choices = select_choices(
            [("", "選択してください")] + [(code, f"{code}（{row.meaning}）") for code, row in tables.ratings.items()]
        )
        self.currency.choices = select_choices(
            [("", "選択してください")] + [(code, code) for code in tables.currencies]
        )
        self.commodity.choices = select_choices([(name, name) for name in tables.commodities])
        for name in ("amount", "advance", "fob"):
            if name in self:
                self[name].decimals = self._decimals
        product = self.product.data if self.product.data in PRODUCTS else None
        self.scope.choices = select_choices([(scope, SCOPES[scope]) for scope in estimate.scopes_for(product)])
        if product in estimate.POST_ONLY_PRODUCTS:  # no 船積前 cover: its questions are not asked at all
            for name in PRE_FIELDS:
                del self[name]
            self.sections = [(heading, [name for name in names if name in self]) for heading, names in self.sections]
        rating = self.effective_rating()
        found = tables.ratings.get(rating) if rating else None
        self.offered = estimate.cover_choices(product, rating if found else None, found.cover if found else None)
        for name in (name for name in COVER_FIELDS if name in self):
            offered = self.offered[name]
            self[name].choices = select_choices([(str(value), percent(value)) for value in offered])
            if len(offered) == 1:  # not a choice: political-only (9-3), or 中小企業's 95/95 (9-2)
                self[name].data = str(offered[0])
                self[name].raw_data = [self[name].data]

    def _decimals(self, code: str) -> int | None:
        currency = self.tables.currencies.get(code)
        return currency.decimals if currency else None

    # --- the payer's rating ---------------------------------------------------------------------

    def buyer(self):
        """The buyer the バイヤーコード names (not deleted), looked up once, or None."""
        if not hasattr(self, "_buyer"):
            code = fields.normalise_buyer_code(self.buyer_code.data or "")
            self._buyer = find(code) if fields.BUYER_CODE.fullmatch(code or "") else None
        return self._buyer

    # --- rules across fields ----------------------------------------------------------------------

    def validate_country(self, field):
        country = self.tables.countries.get(field.data)
        if country is not None and country.policy == "引受停止":
            raise ValidationError(f"{country.name_ja}は引受停止国のため、試算できません")

    def validate_buyer_code(self, field):
        if field.data and self.buyer() is None:
            raise ValidationError(f"バイヤーコード「{field.data}」は海外商社名簿に登録されていません")
        if self.buyer() is not None and self.buyer().rating not in self.tables.ratings:
            raise ValidationError(f"バイヤーコード「{field.data}」の格付では試算できません。NEXIにご相談ください")

    def validate_scope(self, field):
        if field.data == BOTH and self.product.data in estimate.POST_ONLY_PRODUCTS:
            field.errors[:] = []  # instead of 「選択肢から選択」: say why
            raise ValidationError(f"{PRODUCTS[self.product.data]}の付保範囲は「船積後のみ」です")

    def validate_usance(self, field):
        if field.data is not None and field.data < 0:
            raise ValidationError("ユーザンス（日）は0から729までの数値で入力してください")
        if field.data is not None and field.data >= estimate.LONG_TERM_DAYS:
            raise ValidationError("長期案件はNEXIにご相談ください")

    def validate_advance(self, field):
        if field.data is not None and self.amount.data is not None and field.data >= self.amount.data:
            raise ValidationError("前受金は契約金額より少ない金額で入力してください")

    def validate_fob(self, field):
        if field.data is not None and self.amount.data is not None and field.data > self.amount.data:
            raise ValidationError("FOB価額は契約金額以下の金額で入力してください")

    def validate_last_shipment(self, field):
        start, end = self.contract_date.data, field.data
        if start and end:
            if end <= start:
                raise ValidationError("最終船積日は契約締結日より後の日付を入力してください")
            if (end - start).days >= estimate.SHIPMENT_SPAN_DAYS:
                raise ValidationError(
                    "契約締結日から最終船積日までは730日未満で入力してください（長期案件はNEXIにご相談ください）"
                )

    def validate_pre_commercial(self, field):
        political = self.pre_political.data
        if field.data and political and Decimal(field.data) > Decimal(political):
            raise ValidationError("付保率（船積前・信用危険）は船積前・非常危険の付保率以下で選択してください")

    def validate_post_commercial(self, field):
        if field.data == "50":
            rating = self.effective_rating()
            if self.product.data != estimate.COMPREHENSIVE or (rating is not None and rating not in ("EM", "EF")):
                field.errors[:] = []  # instead of 「一覧から選択」: say why
                raise ValidationError("船積後・信用危険の50%は、企業総合保険で格付EM・EFの支払人の場合に選択できます")

    def effective_rating(self) -> str | None:
        """The rating the estimate uses: the chosen one, or the バイヤーコード's (None: not known)."""
        if self.rating_mode.data == "select":
            return self.rating.data or None
        if self.rating_mode.data != "code":
            return None
        if not hasattr(self, "_rating"):
            buyer = self.buyer()
            self._rating = buyer.rating if buyer is not None else None
        return self._rating or None

    def inputs(self) -> estimate.Inputs:
        """The valid answers as the calculator takes them (answers that do not apply left out)."""
        both = self.scope.data == BOTH

        def cover(name):
            return Decimal(self[name].data) if both or name.startswith("post") else None

        return estimate.Inputs(
            product=self.product.data,
            scope=BOTH if both else POST_ONLY,
            country=self.country.data,
            rating=self.effective_rating(),
            currency=self.currency.data,
            amount=self.amount.data,
            advance=self.advance.data or Decimal(0),
            fob=self.fob.data if both else None,
            contract_date=self.contract_date.data if both else None,
            last_shipment=self.last_shipment.data if both else None,
            usance=self.usance.data,
            pre_political=cover("pre_political"),
            pre_commercial=cover("pre_commercial"),
            post_political=cover("post_political"),
            post_commercial=cover("post_commercial"),
            commodity=self.commodity.data,
            buyer_code=self.buyer().code if self.rating_mode.data == "code" and self.buyer() else None,
        )
