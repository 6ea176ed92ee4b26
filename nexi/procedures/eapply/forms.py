"""The input step of E01 電子申請 (DOMAIN.md 12-1), labelled as the manual does.

Which 申請種別 needs a 証券番号 or a バイヤーコード is the table of 12-1; both questions are asked
only for those kinds (`When`), so with JavaScript off they stay on the screen and an answer
given for another kind is ignored. The files follow the shared file rules (nexi/attachments.py),
applied by the procedure engine when the step is submitted.
"""

from wtforms import StringField, ValidationError

from nexi import applications, fields
from nexi.conditions import When
from nexi.forms import Acknowledge, NexiForm, Pattern, Required
from nexi.procedures.buyers.rules import Registered
from nexi.procedures.eapply import rules

KINDS = [
    ("claim", "保険金請求書"),
    ("material_change", "重大な内容変更通知"),
    ("accident_documents", "事故関係書類（回収状況報告等）"),
    ("rider", "特約書締結・変更申込"),
    ("blanket_buyer", "簡易通知型 海外商社・仕向国登録 / 支払限度額設定申請"),
    ("buyer_documents", "海外商社登録 追加書類"),
    ("customer_change", "保険利用者情報変更 証明書類（管理者のみ）"),
    ("other", "その他"),
]
KIND_LABELS = dict(KINDS)
POLICY_KINDS = ("claim", "material_change", "accident_documents")  # 12-1: 証券番号 ✓
BUYER_KINDS = ("blanket_buyer", "buyer_documents")  # 12-1: バイヤーコード ✓
ADMIN_KINDS = ("customer_change",)  # 12-1: (管理者)
DECLARATION = "アップロードした書類は代表者印を押印した原本と同一の内容です"
POLICY_NUMBER = r"\d{14}"
WEB_NUMBER = r"W\d{14}"


def upper(value):
    """「w2026…」 is the same Web申込番号 as 「W2026…」."""
    return value.upper() if isinstance(value, str) else value


def policy_number(label="証券番号", *, required=True, when=None, hint=None):
    """A 保険証券番号 (C.6): 14 digits."""
    return StringField(
        label,
        validators=fields._presence(label, required, when) + [Pattern(label, POLICY_NUMBER, "14桁の数字")],
        description=hint or "14桁の数字です。例：01202600000123",
        render_kw={"autocomplete": "off", "inputmode": "numeric", "maxlength": "14"},
    )


def web_number(label, *, hint=None):
    """A Web申込番号 (C.6): 「W」 and 14 digits; optional."""
    return StringField(
        label,
        validators=fields._presence(label, False, None)
        + [Pattern(label, WEB_NUMBER, "「W」と14桁の数字（例：W20260415000123）")],
        filters=[upper],
        description=hint or "「W」と14桁の数字です。例：W20260415000123",
        render_kw={"autocomplete": "off", "maxlength": "15"},
    )


class FilingForm(NexiForm):
    """E01: 申請の内容, the files and the declaration."""

    sections = [
        ("申請種別と対象", ["kind", "policy_number", "buyer_code", "related_number"]),
        ("申請の内容", ["subject", "body"]),
        ("添付ファイル", ["documents"]),
        ("原本と相違ない旨の宣言", ["declaration"]),
    ]
    kind = fields.choice("申請種別", KINDS)
    policy_number = policy_number(
        when=When("kind", *POLICY_KINDS),
        hint="申請種別が保険金請求書・重大な内容変更通知・事故関係書類の場合に入力します。",
    )
    buyer_code = fields.buyer_code(
        when=When("kind", *BUYER_KINDS),
        extra=[Registered("バイヤーコード")],
        hint="申請種別が簡易通知型 海外商社・仕向国登録 / 支払限度額設定申請・海外商社登録 追加書類の場合に入力します。例：304-000123",
    )
    related_number = web_number("関連Web申込番号", hint="関連する申込みがあれば入力してください。例：W20260415000123")
    subject = fields.text("件名", 100)
    body = fields.text("申請内容・補足", 2000, required=False, multiline=True)
    documents = fields.pdf("添付ファイル")
    declaration = Acknowledge(DECLARATION, validators=[Required(DECLARATION)])

    def validate_kind(self, field):
        user = getattr(self.context, "user", None)
        if field.data in ADMIN_KINDS and user is not None and not user.is_admin:
            raise ValidationError("保険利用者情報変更 証明書類は管理者のみ申請できます")

    def validate_policy_number(self, field):
        customer = getattr(self.context, "customer", None)
        if field.data and not field.errors and customer is not None and not rules.own_policy(customer.id, field.data):
            raise ValidationError(rules.policy_message(field.data))

    def validate_related_number(self, field):
        if not field.data or field.errors or self.context is None:
            return
        found = applications.find(number=field.data)  # scoped like Web申込状況一覧 (C.4)
        if found is None:
            raise ValidationError(rules.application_message(field.data))
        if found.id == self.context.application_id:
            raise ValidationError("この申込み自身のWeb申込番号は入力できません")
