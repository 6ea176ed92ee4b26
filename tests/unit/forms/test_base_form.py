"""STYLE.md 6: the base form normalises text, never passwords, and speaks Japanese."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField

from nexi.forms import Ascii, JapaneseDateField, MaxChars, MoneyAmountField, NexiForm, Required


class SampleForm(NexiForm):
    name = StringField("名称", validators=[Required("名称"), MaxChars("名称", 5)])
    english = StringField("英文名称", validators=[Ascii("英文名称")])
    secret = PasswordField("パスワード", validators=[Required("パスワード")])
    day = JapaneseDateField("日付", validators=[Required("日付")])
    amount = MoneyAmountField("金額", validators=[Required("金額")])


@pytest.fixture
def make(app):
    def build(**data):
        with app.test_request_context():
            form = SampleForm(formdata=MultiDict(data))
            form.validate()
            return form

    return build


def test_text_is_nfkc_normalised_and_trimmed(make):
    form = make(name="  ＡＢＣ１ ", english="ｘ", secret=" pw ", day="2026-04-15", amount="1")
    assert form.name.data == "ABC1"
    assert form.english.data == "x"


def test_passwords_are_never_trimmed(make):
    assert make(secret="  pw  ").secret.data == "  pw  "


def test_messages_are_built_from_the_noun(make):
    form = make(name="", secret="", day="", amount="")
    assert form.errors["name"] == ["名称を入力してください"]
    assert form.errors["secret"] == ["パスワードを入力してください"]
    assert make(name="長すぎる名前です").errors["name"] == ["名称は5文字以内で入力してください"]
    assert make(english="日本語").errors["english"] == ["英文名称は半角英数字・記号で入力してください"]


def test_dates_accept_slashes_and_full_width_digits(make):
    assert str(make(day="２０２６/４/５").day.data) == "2026-04-05"
    assert make(day="2026-02-30").errors["day"] == ["日付は「2026-04-15」の形式で、正しい日付を入力してください"]


def test_amounts_accept_commas_and_refuse_more_than_thirteen_digits(make):
    assert str(make(amount="１,２３４,５６７.５").amount.data) == "1234567.5"
    assert make(amount="12345678901234").errors["amount"] == ["金額は13桁以内の半角数字で入力してください"]


def test_inputs_render_without_the_html_required_attribute(make):
    form = make()
    assert "required" not in str(form.name())
    assert form.name.flags.nexi_required


def test_the_state_keeps_what_was_typed_except_passwords(make):
    data = make(name="abc", secret="pw", day="x", amount="1,000").data_for_state()
    assert data["name"] == "abc" and data["amount"] == "1,000" and data["day"] == "x"
    assert "secret" not in data
