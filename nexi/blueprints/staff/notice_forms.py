"""The form of お知らせ管理 (S.7). Like the other staff forms it carries no help prefix: the
customers' help pages must not describe the staff console; its hints say what each field takes."""

from wtforms import TextAreaField, ValidationError

from nexi import fields
from nexi.forms import MaxChars, NexiForm, Required, display_value
from nexi.models import NoticeCategory

TITLE_MAX, BODY_MAX = 100, 4000
CATEGORIES = [(category.value, category.value) for category in NoticeCategory]
AFTER_START = "掲載終了日時は掲載開始日時より後の日時を入力してください"


def _line_breaks(value):
    """One line break is one character, whatever the browser sent (the limit counts characters)."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class NoticeForm(NexiForm):
    """A notice as staff write it: plain text, shown to customers with its line breaks (escaped)."""

    title = fields.text("タイトル", TITLE_MAX, hint=f"{TITLE_MAX}文字以内で入力してください。")
    body = TextAreaField(
        "本文",
        validators=[Required("本文"), MaxChars("本文", BODY_MAX)],
        filters=[_line_breaks],
        description=f"{BODY_MAX}文字以内のテキストです。改行はそのまま表示されます（HTMLは使えません）。",
        render_kw={"maxlength": str(BODY_MAX), "rows": "12"},
    )
    category = fields.choice("カテゴリ", CATEGORIES)
    publish_at = fields.moment(
        "掲載開始日時", hint="日本時間で入力してください。この日時から掲載します。例：2026-04-15 09:00"
    )
    expire_at = fields.moment(
        "掲載終了日時",
        required=False,
        hint="日本時間で入力してください。この日時に掲載を終えます。空欄のときは掲載を取り消すまで掲載します。",
    )

    def validate_expire_at(self, field):
        if field.data and self.publish_at.data and field.data <= self.publish_at.data:
            raise ValidationError(AFTER_START)

    def record(self) -> dict:
        """What nexi/notices.py `save` writes (a validated form)."""
        return {
            "title": self.title.data,
            "body": self.body.data,
            "category": self.category.data,
            "publish_at": self.publish_at.data,
            "expire_at": self.expire_at.data,
        }

    def shown(self) -> list[tuple[str, str, bool]]:
        """(label, value, multiline) of each field, as 確認 lists them."""
        return [(field.label.text, display_value(field), field.name == "body") for field in self]
