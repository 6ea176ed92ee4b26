"""7章 海外商社（バイヤー）に関する手続き: B01–B05, all flow R (NEXI reviews; DOMAIN.md §7)."""

from nexi import masters
from nexi.conditions import When
from nexi.procedures.buyers import completion, forms, rules
from nexi.procedures.engine import Context, Exclusive, Findings, Procedure, Step


def _named(code: str) -> tuple[str, str | None]:
    buyer = rules.find(code, include_deleted=True)
    return (f"{code} {buyer.name_en}" if buyer else code or "", code or None)


def _register_target(values: dict) -> tuple[str, str | None]:
    name = values.get("name_en") or "（名称未入力）"
    return (f"{name}（{masters.country_name(values.get('country', ''))}）", None)


def _register_check(context: Context) -> Findings:
    """B01 against the register and today's country policies: duplicates and 引受停止 warn."""
    values = context.values
    findings = Findings()
    existing = rules.same_name(values.get("name_en", ""), values.get("country", ""))
    if existing:
        findings.warn(
            f"同じ国に同じ名称の海外商社がすでに登録されています（バイヤーコード {existing.code} {existing.name_en}）。"
            "同じ海外商社であれば、新規登録は不要です。"
        )
    country = masters.countries().get(values.get("country", ""))
    if country and country.policy == "引受停止":
        findings.warn(f"{country.name_ja}は引受停止国です。登録はできますが、登録後も保険の引受けは行えません。")
    if values.get("office_type") == "branch" and values.get("head_registered") == "yes":
        if rules.find(values.get("head_office_code")) is None:
            findings.error("company", "head_office_code", "本店バイヤーコードは海外商社名簿に登録されていません")
    return findings


def _branch_check(context: Context) -> Findings:
    values = context.values
    findings = Findings()
    head = rules.find(values.get("head_code"))
    if values.get("action") == "delete" and head is not None:
        target = rules.find(values.get("target_code"))
        if target is not None and target.head_office_id != head.id:
            findings.error(
                "delete",
                "target_code",
                f"バイヤーコード「{target.code}」は本店バイヤーコード「{head.code}」の支店・子会社等として登録されていません",
            )
    return findings


def _buyer_code(values: dict) -> str | None:
    return values.get("buyer_code") or None


REGISTER = Procedure(
    code="B01",
    title="海外商社新規登録",
    section="7-1",
    chapter="buyers",
    path="register",
    complete=completion.complete_register,
    result_form=completion.RegisterResultForm,
    steps=(
        Step("buyer", "名称・所在地", forms.BuyerNameAddressForm),
        Step("company", "本店・支店と企業情報", forms.BuyerCompanyForm),
        Step(
            "head_office",
            "本店の同時登録",
            forms.HeadOfficeForm,
            when=When("office_type", "branch") & When("head_registered", "no"),
        ),
        Step("report", "名簿区分と信用調査報告書", forms.CreditReportForm),
        Step("plan", "取引予定", forms.TradePlanForm),
    ),
    describe=_register_target,
    check=_register_check,
    intro=(
        "海外商社（バイヤー）を海外商社名簿に登録するための手続きです。NEXIが信用調査報告書等をもとに審査し、"
        "格付を付けて登録します。登録された海外商社との取引だけが保険の対象になります。\n"
        "入力は「名称・所在地」「本店・支店と企業情報」「名簿区分と信用調査報告書」「取引予定」の順に進みます"
        "（銀行の支店で本店が未登録の場合は「本店の同時登録」が加わります）。\n"
        "信用調査報告書は、お手元の報告書（12か月以内に発行されたもの）をPDFで添付するか、NEXIに取得を依頼できます"
        "（取得費用は申込者の負担です）。審査には通常2週間程度かかります。"
    ),
)

RATING_CHANGE = Procedure(
    code="B02",
    title="格付変更申請",
    section="7-2",
    chapter="buyers",
    path="rating-change",
    complete=completion.complete_rating,
    result_form=completion.RatingResultForm,
    steps=(
        Step("target", "対象バイヤーと変更理由", forms.RatingChangeForm),
        Step("report", "信用調査報告書", forms.RatingReportForm),
    ),
    describe=lambda values: _named(values.get("buyer_code", "")),
    exclusive=(
        Exclusive(
            key=_buyer_code,
            message="バイヤーコード「{key}」の格付変更申請は、すでにNEXIで受付中です（1件まで）",
            step="target",
            field="buyer_code",
        ),
    ),
)

NAME_ADDRESS = Procedure(
    code="B03",
    title="名称・住所の変更・追加",
    section="7-3",
    chapter="buyers",
    path="name-address",
    complete=completion.complete_name_address,
    steps=(Step("change", "変更内容", forms.NameAddressChangeForm),),
    describe=lambda values: _named(values.get("buyer_code", "")),
)

BRANCHES = Procedure(
    code="B04",
    title="海外支店・子会社等の登録・削除",
    section="7-4",
    chapter="buyers",
    path="branches",
    complete=completion.complete_branches,
    result_form=lambda values: None if values.get("action") == "delete" else completion.RegisterResultForm,
    steps=(
        Step("head", "本店と区分", forms.BranchActionForm),
        Step(
            "register",
            "登録する支店・子会社等",
            forms.BranchRegisterForm,
            when=~When("action", "delete"),
        ),
        Step("delete", "削除する支店・子会社等", forms.BranchDeleteForm, when=When("action", "delete")),
    ),
    describe=lambda values: _named(values.get("head_code", "")),
    check=_branch_check,
)

SLEEPING_RELEASE = Procedure(
    code="B05",
    title="スリーピング候補バイヤー解除申請",
    section="7-5",
    chapter="buyers",
    path="sleeping-release",
    complete=completion.complete_release,
    steps=(Step("release", "解除申請の内容", forms.SleepingReleaseForm),),
    describe=lambda values: _named(values.get("buyer_code", "")),
    exclusive=(
        Exclusive(
            key=_buyer_code,
            message="バイヤーコード「{key}」の解除申請は、すでにNEXIで受付中です",
            step="release",
            field="buyer_code",
        ),
    ),
)

PROCEDURES = (REGISTER, RATING_CHANGE, NAME_ADDRESS, BRANCHES, SLEEPING_RELEASE)
