"""Forms of the staff area (S.1). They carry no help prefix: the customers' help pages (2-4) must
not describe the staff console."""

from wtforms import PasswordField, StringField

from nexi import fields
from nexi.blueprints.users.forms import LOGIN_ID, PasswordChangeForm
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


class StaffPasswordForm(PasswordChangeForm):
    """3-2 for a staff member's own password: the customers' form, without their help texts and
    with the hint naming the staff login ID."""

    help_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_password.description = PASSWORD_HINT


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
