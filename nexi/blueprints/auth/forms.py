from wtforms import PasswordField, StringField

from nexi.forms import MaxChars, NexiForm, Pattern, Required


class LoginForm(NexiForm):
    help_prefix = "auth.login"
    login_id = StringField(
        "WebユーザーID",
        validators=[Required("WebユーザーID"), MaxChars("WebユーザーID", 64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "パスワード", validators=[Required("パスワード")], render_kw={"autocomplete": "current-password"}
    )


class OtpForm(NexiForm):
    help_prefix = "auth.otp"
    code = StringField(
        "ワンタイムパスワード",
        validators=[Required("ワンタイムパスワード"), Pattern("ワンタイムパスワード", r"\d{6}", "半角数字6桁")],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"},
    )
