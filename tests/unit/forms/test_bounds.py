"""Fields stay within what their column and the date arithmetic hold; a file posted for a text
field is no text (issue 13)."""

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import StringField

from nexi.forms import JapaneseDateField, JapaneseIntegerField, NexiForm, Required
from nexi.text import INT64_MAX, INT64_MIN, bounded_int


class BoundsForm(NexiForm):
    day = JapaneseDateField("日付", validators=[Required("日付")])
    recent = JapaneseDateField("基準日", earliest=date(2020, 1, 1), latest=date(2030, 12, 31))
    count = JapaneseIntegerField("件数")
    rows = JapaneseIntegerField("行数", minimum=1, maximum=60)
    name = StringField("名称")


@pytest.fixture
def make(app):
    def build(**data):
        with app.test_request_context():
            form = BoundsForm(formdata=MultiDict(data))
            form.validate()
            return form

    return build


def a_file() -> FileStorage:
    return FileStorage(io.BytesIO(b"2026-04-15"), filename="x.txt")


@pytest.mark.parametrize("typed", ["1899-12-31", "2100-01-01", "0001-01-01", "9999-12-31"])
def test_a_date_outside_1900_to_2099_is_refused_and_shown_as_typed(make, typed):
    form = make(day=typed)
    assert form.errors["day"] == ["日付は1900年1月1日から2099年12月31日までの日付で入力してください"]
    assert form.day.data is None and form.day._value() == typed


def test_the_window_includes_its_first_and_last_days_and_a_field_may_narrow_it(make):
    assert make(day="1900-01-01").day.data == date(1900, 1, 1)
    assert make(day="2099/12/31").day.data == date(2099, 12, 31)
    assert make(day="2026-04-15", recent="2019-12-31").errors["recent"] == [
        "基準日は2020年1月1日から2030年12月31日までの日付で入力してください"
    ]


def test_integers_have_at_most_18_digits_unless_the_field_states_a_range(make):
    assert make(count="１２３,４５６,７８９,０１２,３４５,６７８").count.data == 123_456_789_012_345_678
    assert make(count="9" * 19).errors["count"] == ["件数は18桁以内の半角数字で入力してください"]
    assert make(count="9" * 5000).errors["count"] == ["件数は18桁以内の半角数字で入力してください"]
    assert make(count="9" * 19).count._value() == "9" * 19
    assert make(rows="60").rows.data == 60
    assert make(rows="61").errors["rows"] == ["行数は1から60までの数値で入力してください"]
    assert make(count="12a").errors["count"] == ["件数は半角数字で入力してください"]


def test_a_file_posted_for_a_text_field_is_no_text(make):
    form = make(day=a_file(), count=a_file(), name=a_file())
    assert form.errors["day"] == ["日付を入力してください"]  # a file is no text: nothing was typed
    assert form.errors["count"] == ["件数は半角数字で入力してください"]
    assert form.name.data == "" and "name" not in form.errors
    assert form.day._value() == form.count._value() == ""


def test_ids_and_page_numbers_from_form_data_are_bounded():
    assert bounded_int("42") == 42 and bounded_int("４２") == 42
    assert bounded_int(str(INT64_MAX)) == INT64_MAX and bounded_int(str(INT64_MIN)) == INT64_MIN
    assert bounded_int(str(INT64_MAX + 1)) is None and bounded_int("9" * 5000) is None
    assert bounded_int("0", 1) is None and bounded_int(None) is None and bounded_int("1.5") is None
    assert bounded_int("9" * 30, 1, 50, clamp=True) == 50
    assert bounded_int("-" + "9" * 30, 1, 50, clamp=True) == 1
    assert bounded_int(a_file()) is None
