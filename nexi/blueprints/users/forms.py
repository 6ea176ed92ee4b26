"""⑯ ユーザー管理 forms: パスワード変更 (3-2) and the Web user of 3-6 (追加, 変更, パスワード再設定)."""

import re

from wtforms import PasswordField, StringField, ValidationError

from nexi import fields
from nexi.conditions import When
from nexi.forms import MaxChars, NexiForm, Pattern, RadioChoiceField, Required, RequiredIf
from nexi.models import Role

PASSWORD_HINT = (
    "10文字以上64文字以内で入力してください。スペースや日本語も使えます。"
    "WebユーザーIDを含むもの、推測されやすいものは使えません。"
)
LOGIN_ID = r"[A-Za-z0-9._-]{6,20}"  # C.6
KATAKANA = re.compile(r"[\u30a0-\u30ff\u3000 ]+")  # full-width katakana (NFKC widens half-width), spaces
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")  # addr-spec, as a person types it


def _password(label: str, *, hint: str | None = None, autocomplete: str = "new-password", validators=None):
    return PasswordField(
        label,
        validators=validators if validators is not None else [Required(label)],
        description=hint,
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


class PasswordChangeForm(NexiForm):
    """3-2 パスワード変更 of one's own password."""

    help_prefix = "users.password"
    current_password = _password("現在のパスワード", autocomplete="current-password")
    new_password = _password("新しいパスワード", hint=PASSWORD_HINT)
    new_password_confirm = _password("新しいパスワード（確認）", hint="確認のため、もう一度入力してください。")

    def validate_new_password_confirm(self, field):
        if self.new_password.data and field.data != self.new_password.data:
            raise ValidationError("新しいパスワード（確認）が新しいパスワードと一致しません")


class ForcedPasswordForm(PasswordChangeForm):
    """3-2 forced at the first login with a 仮パスワード: the current one is not asked again."""

    current_password = None


PASSWORD_MODES = [("generate", "自動生成"), ("typed", "入力する")]


class TemporaryPasswordForm(NexiForm):
    """仮パスワード, typed or 「自動生成」 (3-6 追加 and パスワード再設定)."""

    help_prefix = "users.reset"
    password_mode = RadioChoiceField(
        "仮パスワードの設定方法",
        validators=[Required("仮パスワードの設定方法", choose=True)],
        choices=PASSWORD_MODES,
        default="generate",
        thing="仮パスワードの設定方法",
    )
    password = _password(
        "仮パスワード",
        hint=PASSWORD_HINT + "ご本人には最初のログインで変更していただきます。",
        validators=RequiredIf("仮パスワード", When("password_mode", "typed")),
    )


def _phone(form, field):
    digits = re.sub(r"-", "", field.data or "")
    if field.data and (not re.fullmatch(r"[0-9-]+", field.data) or not 10 <= len(digits) <= 13):
        raise ValidationError("電話は10～13桁の数字で入力してください（ハイフン「-」は含めても構いません）")


def _kana(form, field):
    if field.data and not KATAKANA.fullmatch(field.data):
        raise ValidationError("氏名カナは全角カタカナで入力してください")


def _email(form, field):
    if field.data and not EMAIL.fullmatch(field.data):
        raise ValidationError("e-mailは「name@example.co.jp」の形式で入力してください")


ROLES = [(Role.ADMIN.value, Role.ADMIN.label), (Role.GENERAL.value, Role.GENERAL.label)]
OTP_CHOICES = [("on", "利用する"), ("off", "利用しない")]


class UserForm(NexiForm):
    """3-6 変更: what a 管理者 may change of a Web user (the ID never changes)."""

    help_prefix = "users.edit"
    sections = [("Webユーザー情報", ["name", "name_kana", "department", "phone", "email", "role"])]
    name = fields.text("氏名", 40)
    name_kana = StringField(
        "氏名カナ",
        validators=[MaxChars("氏名カナ", 40), _kana],
        description="全角カタカナ（任意）",
        render_kw={"maxlength": "40"},
    )
    department = fields.text("部署", 40, required=False)
    phone = StringField(
        "電話",
        validators=[Required("電話"), MaxChars("電話", 20), _phone],
        description="例：03-1234-5678",
        render_kw={"maxlength": "20", "inputmode": "tel", "autocomplete": "off"},
    )
    email = StringField(
        "e-mail",
        validators=[Required("e-mail"), MaxChars("e-mail", 254), _email],
        render_kw={"maxlength": "254", "inputmode": "email", "autocomplete": "off"},
    )
    role = RadioChoiceField("権限", validators=[Required("権限", choose=True)], choices=ROLES, thing="権限")


class AddUserForm(UserForm):
    """3-6 追加: every field of the table, the 仮パスワード included."""

    help_prefix = "users.add"
    sections = [
        ("Webユーザー情報", ["login_id", "name", "name_kana", "department", "phone", "email", "role", "otp"]),
        ("仮パスワード", ["password_mode", "password"]),
    ]
    login_id = StringField(
        "WebユーザーID",
        validators=[
            Required("WebユーザーID"),
            Pattern("WebユーザーID", LOGIN_ID, "半角英数字と「.」「_」「-」の6～20文字"),
        ],
        description="半角英数字と「.」「_」「-」の6～20文字。登録後は変更できません。",
        render_kw={"maxlength": "20", "autocomplete": "off", "spellcheck": "false"},
    )
    otp = RadioChoiceField(
        "ワンタイムパスワード", validators=[Required("ワンタイムパスワード", choose=True)], choices=OTP_CHOICES
    )
    password_mode = TemporaryPasswordForm.password_mode
    password = TemporaryPasswordForm.password
