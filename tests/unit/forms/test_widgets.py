"""nexi/widgets.py: WTForms' html_params, faster, with exactly WTForms' output."""

import pytest
from markupsafe import Markup
from wtforms.widgets import core

from nexi import widgets
from nexi.blueprints.status.forms import StatusFilterForm


@pytest.mark.parametrize(
    "attributes",
    [
        {"name": "statuses", "id": "statuses-0", "type": "checkbox", "value": "draft", "checked": True},
        {"class_": "input input--error", "aria_describedby": "a-hint a-error", "aria_invalid": "true"},
        {"value": '"><script>alert(1)</script>', "title": "O'Brien & <Co>", "readonly": False},
        {"data_hx_post": "/status/search", "for_": "x", "value": 0, "maxlength": 15},
        {"value": Markup("<b>safe</b>"), "label": "申込日（From）"},
        {},
    ],
)
def test_the_same_attributes_as_wtforms(attributes):
    assert widgets.html_params(**attributes) == widgets.WTFORMS_HTML_PARAMS(**attributes)


def test_wtforms_widgets_use_it(app):
    assert core.html_params is widgets.html_params
    assert core.Input.html_params is widgets.html_params and core.Button.html_params is widgets.html_params
    with app.test_request_context(method="POST", data={"statuses": ["draft"], "number": '"<x>'}):
        form = StatusFilterForm()
        assert (
            str(form.number()) == '<input id="number" maxlength="15" name="number" type="text" value="&#34;&lt;x&gt;">'
        )
        assert 'checked id="statuses-0" name="statuses" type="checkbox" value="draft"' in str(form.statuses)
