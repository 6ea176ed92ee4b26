"""Forms of the staff area (S.1). They carry no help prefix: the customers' help pages (2-4) must
not describe the staff console."""

from wtforms import PasswordField, StringField, ValidationError

from nexi import fields
from nexi.blueprints.users.forms import LOGIN_ID
from nexi.forms import MaxChars, NexiForm, Pattern, Required
from nexi.models.staff import MANAGER, REVIEWER

PASSWORD_HINT = (
    "10文字以上64文字以内で入力してください。スペースや日本語も使えます。"
    "ログインIDを含むもの、推測されやすいものは使えません。"
)


class StaffLoginForm(NexiForm):
    login_id = StringField(
        "ログインID",
        validators=[Required("ログインID"), MaxChars("ログインID", 64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "パスワード", validators=[Required("パスワード")], render_kw={"autocomplete": "current-password"}
    )


def _password(label: str, *, hint: str | None = None, autocomplete: str = "new-password"):
    return PasswordField(
        label,
        validators=[Required(label)],
        description=hint,
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


class StaffPasswordForm(NexiForm):
    """3-2 for a staff member's own password."""

    current_password = _password("現在のパスワード", autocomplete="current-password")
    new_password = _password("新しいパスワード", hint=PASSWORD_HINT)
    new_password_confirm = _password("新しいパスワード（確認）", hint="確認のため、もう一度入力してください。")

    def validate_new_password_confirm(self, field):
        if self.new_password.data and field.data != self.new_password.data:
            raise ValidationError("新しいパスワード（確認）が新しいパスワードと一致しません")


class StaffForcedPasswordForm(StaffPasswordForm):
    """Forced at the first login with a 仮パスワード: the current one is not asked again."""

    current_password = None


class StaffAddForm(NexiForm):
    """A new staff account (S.1): C.6's ID rules, a name, one or both roles."""

    login_id = StringField(
        "ログインID",
        validators=[
            Required("ログインID"),
            Pattern("ログインID", LOGIN_ID, "半角英数字と「.」「_」「-」で6～20文字"),
        ],
        description="半角英数字と「.」「_」「-」で6～20文字。大文字・小文字は区別せず、変更も再利用もできません。",
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "maxlength": "20"},
    )
    name = fields.text("氏名", 40)
    roles = fields.checkboxes("役割", [(REVIEWER, REVIEWER), (MANAGER, MANAGER)], hint="両方を選ぶこともできます。")
