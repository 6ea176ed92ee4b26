"""The input steps of the buyer procedures (DOMAIN.md 7-1 … 7-5), labelled as the manual does.

Field names are unique within a procedure: the engine merges all steps' values for its rules.
A form's `sections` group its questions under headings. A question asked only for some answer
says so with `when=When(...)` (nexi/conditions.py), independently of whether it is required;
without JavaScript it is always shown, with it revealed on demand, and an answer left in a
question that no longer applies is ignored (NexiForm.applies).
"""

from wtforms import ValidationError

from nexi import fields, masters
from nexi.clock import add_months, today
from nexi.conditions import When
from nexi.forms import Acknowledge, NexiForm, RequiredIf
from nexi.procedures.buyers.rules import Registered, SleepingCandidate, find

OFFICE_TYPES = [("head", "本店"), ("branch", "支店")]
HEAD_REGISTERED = [
    ("yes", "登録済み（本店バイヤーコードを入力）"),
    ("no", "未登録（本店を同時に登録する：銀行の支店のみ）"),
]
CLASSES = [("G", "G（政府・政府機関等）"), ("E", "E（民間企業）"), ("S", "S（銀行）")]
REPORT_MODES = [("attach", "添付する"), ("request", "NEXIに取得を依頼")]
LANGUAGES = [("en", "英語"), ("ja", "日本語"), ("other", "その他（翻訳添付）")]
RELATIONS = [("branch", "支店"), ("subsidiary", "子会社"), ("affiliate", "関連会社")]
CHANGE_KINDS = [("name", "名称変更"), ("alias", "別名追加"), ("address", "住所変更")]
B04_ACTIONS = [("register", "登録"), ("delete", "削除")]
FEE_ACK = "信用調査報告書の取得費用は申込者の負担となることを了承します"


def _products():
    return [(code, name) for code, name in masters.PRODUCTS.items()]


def _industries():
    return [(name, name) for name in masters.INDUSTRIES]


def _terms():
    return [(name, name) for name in masters.PAYMENT_TERMS]


def _not_older_than(months: int, message: str):
    def check(form, field):
        if field.data and field.data < add_months(today(), -months):
            raise ValidationError(message)
        if field.data and field.data > today():
            raise ValidationError(f"{field.label.text}に未来の日付は入力できません")

    return check


class BuyerNameAddressForm(NexiForm):
    """B01 step 1: 海外商社の名称・所在地."""

    sections = [
        ("名称", ["name_en", "alias"]),
        ("所在地・連絡先", ["country", "address", "city", "state", "postal_code", "phone", "fax", "url"]),
    ]
    name_en = fields.text(
        "英文名称", 140, ascii_only=True, hint="契約書等に記載の正式な英文名称を半角英数字で入力してください。"
    )
    alias = fields.text("別名（契約書上の名称・漢字名等）", 140, required=False, thing="別名")
    country = fields.country("国")
    address = fields.text("住所", 140, ascii_only=True, hint="番地・通り名等を半角英数字で入力してください。")
    city = fields.text("都市", 60, ascii_only=True)
    state = fields.text("州・省", 60, required=False, ascii_only=True)
    postal_code = fields.text("郵便番号", 20, required=False, ascii_only=True)
    phone = fields.text("電話", 30, required=False, hint="国番号から入力してください。例：+1-212-555-0100")
    fax = fields.text("FAX", 30, required=False)
    url = fields.url()


class BuyerCompanyForm(NexiForm):
    """B01 step 2: 本店・支店と企業情報."""

    sections = [
        ("本店・支店", ["office_type", "head_registered", "head_office_code"]),
        ("企業情報", ["industry", "established", "representative", "employees", "capital", "capital_currency"]),
    ]
    office_type = fields.choice("本店・支店区分", OFFICE_TYPES, radio=True)
    head_registered = fields.choice(
        "本店の登録",
        HEAD_REGISTERED,
        radio=True,
        when=When("office_type", "branch"),
        hint="支店の場合に選択してください。",
    )
    head_office_code = fields.buyer_code(
        "本店バイヤーコード", when=When("head_registered", "yes"), extra=[Registered("本店バイヤーコード")]
    )
    industry = fields.choice("業種", _industries())
    established = fields.whole_number("設立年", 1800, 9999, hint="西暦4桁で入力してください。例：1985")
    representative = fields.text("代表者", 100, required=False)
    employees = fields.whole_number("従業員数", 0, 10_000_000, required=False)
    capital = fields.amount("資本金", currency="capital_currency", required=False)
    capital_currency = fields.currency("資本金の通貨", when=When("capital"))

    def validate_established(self, field):
        if field.data and field.data > today().year:
            raise ValidationError(f"設立年は{today().year}年以前で入力してください")

    def validate_head_registered(self, field):
        if self.office_type.data == "branch" and field.data == "no" and self.industry.data != "銀行":
            raise ValidationError(
                "本店が未登録の支店を同時に登録できるのは銀行の支店だけです。先に本店を登録してください"
            )


class HeadOfficeForm(NexiForm):
    """B01 step 3 (a bank branch whose head office is not registered): 本店の同時登録."""

    name_en_head = fields.text("本店の英文名称", 140, ascii_only=True)
    country_head = fields.country("本店の国")
    address_head = fields.text("本店の住所", 140, ascii_only=True)
    city_head = fields.text("本店の都市", 60, ascii_only=True)
    directory_files = fields.pdf("銀行名鑑（バンクディレクトリー）の写し")


class CreditReportFields(NexiForm):
    """The credit report questions B01 and B02 both ask (信用調査報告書: attach or ask NEXI)."""

    report_mode = fields.choice("信用調査報告書", REPORT_MODES, radio=True)
    fee_ack = Acknowledge(FEE_ACK, validators=RequiredIf(FEE_ACK, When("report_mode", "request")))
    issuer = fields.text("発行機関", 100, when=When("report_mode", "attach"))
    report_date = fields.day(
        "報告書日付", when=When("report_mode", "attach"), hint="12か月以内に発行されたものに限ります。"
    )
    language = fields.choice("言語", LANGUAGES, radio=True, when=When("report_mode", "attach"))
    report_files = fields.pdf("信用調査報告書のファイル", when=When("report_mode", "attach"))

    def validate_report_date(self, field):
        _not_older_than(12, "報告書日付が12か月より前です。12か月以内に発行された信用調査報告書を添付してください")(
            self, field
        )


class CreditReportForm(CreditReportFields):
    """B01 step 4: 名簿区分と信用調査報告書."""

    sections = [
        ("名簿区分", ["desired_class", "fiscal_end", "proof_files"]),
        ("信用調査報告書", ["report_mode", "fee_ack", "issuer", "report_date", "language", "report_files"]),
    ]
    desired_class = fields.choice("希望名簿区分", CLASSES, radio=True)
    fiscal_end = fields.day(
        "直近決算期末日", when=When("desired_class", "E"), hint="名簿区分Eの場合に入力してください（18か月以内）。"
    )
    proof_files = fields.pdf(
        "証明書類（契約書の写し・公刊物・銀行名鑑の写し等）",
        when=When("desired_class", "G", "S"),
        hint="名簿区分G・Sの場合に添付してください。PDF形式、1ファイル10MBまで。",
    )

    def validate_fiscal_end(self, field):
        _not_older_than(18, "直近決算期末日が18か月より前です。18か月以内の決算期の情報が必要です")(self, field)


class TradePlanForm(NexiForm):
    """B01 step 5: 取引予定 (helps NEXI size the limit)."""

    product = fields.choice("利用予定保険種別", _products())
    planned_amount = fields.amount("予定契約金額", currency="planned_currency")
    planned_currency = fields.currency("予定契約金額の通貨")
    payment_terms = fields.choice("決済方法", _terms())
    usance = fields.whole_number("ユーザンス（日）", 0, 729, hint="船積日から決済までの日数です。一覧払いは0です。")
    remarks = fields.text("備考", 1000, required=False, multiline=True)


class RatingChangeForm(NexiForm):
    """B02 step 1: 対象バイヤーと変更理由."""

    buyer_code = fields.buyer_code(extra=[Registered("バイヤーコード")])
    reason = fields.text(
        "変更理由", 1000, multiline=True, hint="財務内容の改善など、格付の見直しを希望する理由を入力してください。"
    )


class RatingReportForm(CreditReportFields):
    """B02 step 2: 新しい信用調査報告書 (and, if available, the latest 決算書)."""

    financial_files = fields.pdf("決算書", required=False)


class NameAddressChangeForm(NexiForm):
    """B03: 名称・住所の変更・追加."""

    sections = [
        ("対象と変更区分", ["buyer_code", "change_kind"]),
        ("変更後の内容", ["new_name_en", "new_alias", "new_address", "new_city", "new_state", "new_postal_code"]),
        ("理由と証拠書類", ["reason", "evidence_files"]),
    ]
    buyer_code = fields.buyer_code(extra=[Registered("バイヤーコード")])
    change_kind = fields.choice("変更区分", CHANGE_KINDS, radio=True)
    new_name_en = fields.text("新しい英文名称", 140, ascii_only=True, when=When("change_kind", "name"))
    new_alias = fields.text("追加する別名", 140, when=When("change_kind", "alias"))
    new_address = fields.text(
        "新しい住所",
        140,
        ascii_only=True,
        when=When("change_kind", "address"),
        hint="国は変更できません。他の国へ移転した場合は海外商社新規登録をお申込みください。",
    )
    new_city = fields.text("新しい都市", 60, ascii_only=True, when=When("change_kind", "address"))
    new_state = fields.text("新しい州・省", 60, ascii_only=True, required=False, when=When("change_kind", "address"))
    new_postal_code = fields.text(
        "新しい郵便番号", 20, ascii_only=True, required=False, when=When("change_kind", "address")
    )
    reason = fields.text("理由", 500, multiline=True)
    evidence_files = fields.pdf("証拠書類", hint="登記簿・名称変更通知等の写し。PDF形式、1ファイル10MBまで。")

    def validate_new_name_en(self, field):
        buyer = find(self.buyer_code.data)
        if buyer and field.data and field.data.casefold() == buyer.name_en.casefold():
            raise ValidationError("新しい英文名称が現在の名称と同じです")

    def validate_new_address(self, field):
        buyer = find(self.buyer_code.data)
        new = (field.data, self.new_city.data, self.new_state.data, self.new_postal_code.data)
        old = (buyer.address, buyer.city, buyer.state, buyer.postal_code) if buyer else None
        if old and [(value or "").casefold() for value in new] == [value.casefold() for value in old]:
            raise ValidationError("新しい住所が現在の住所と同じです")


class BranchActionForm(NexiForm):
    """B04 step 1: 本店と区分."""

    head_code = fields.buyer_code("本店バイヤーコード", extra=[Registered("本店バイヤーコード")])
    action = fields.choice("区分", B04_ACTIONS, radio=True)
    relation = fields.choice("関係", RELATIONS, radio=True)


class BranchRegisterForm(NexiForm):
    """B04 step 2 (登録): the new branch, subsidiary or affiliate."""

    branch_name_en = fields.text("英文名称", 140, ascii_only=True)
    branch_alias = fields.text("別名", 140, required=False)
    branch_country = fields.country("国")
    branch_address = fields.text("住所", 140, ascii_only=True)
    branch_city = fields.text("都市", 60, ascii_only=True)
    branch_state = fields.text("州・省", 60, required=False, ascii_only=True)
    branch_postal_code = fields.text("郵便番号", 20, required=False, ascii_only=True)
    branch_industry = fields.choice("業種", _industries())
    share_ratio = fields.whole_number(
        "出資比率（%）", 1, 100, when=When("relation", "subsidiary"), hint="子会社の場合に入力してください。"
    )


class BranchDeleteForm(NexiForm):
    """B04 step 2 (削除): which linked buyer to remove."""

    target_code = fields.buyer_code("対象バイヤーコード", extra=[Registered("対象バイヤーコード")])
    delete_reason = fields.text("削除の理由", 500, multiline=True)


class SleepingReleaseForm(NexiForm):
    """B05: スリーピング候補バイヤー解除申請."""

    sections = [
        ("対象バイヤー", ["buyer_code", "release_reason"]),
        ("予定取引", ["plan_product", "plan_month", "plan_amount", "plan_currency"]),
    ]
    buyer_code = fields.buyer_code(extra=[SleepingCandidate()])
    release_reason = fields.text("解除理由", 500, multiline=True)
    plan_product = fields.choice("予定取引の保険種別", _products())
    plan_month = fields.text("予定時期", 7, hint="年と月を「2027-03」の形式で入力してください（24か月以内）。")
    plan_amount = fields.amount("予定金額", currency="plan_currency")
    plan_currency = fields.currency("予定金額の通貨")

    def validate_plan_month(self, field):
        import re

        match = re.fullmatch(r"(\d{4})-(\d{1,2})", (field.data or "").replace("/", "-"))
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError("予定時期は「2027-03」の形式で入力してください")
        month = int(match[1]) * 12 + int(match[2])
        current = today().year * 12 + today().month
        if month < current:
            raise ValidationError("予定時期に過去の月は入力できません")
        if month > current + 24:
            raise ValidationError("予定時期は24か月以内で入力してください")
