"""WTForms' `html_params`, without its cost.

WTForms 3 builds every attribute of every input, option and checkbox through `Markup.format`,
that is Python's `string.Formatter`, for each of over 100 attributes on a search form (a large
share of rendering Web申込状況一覧). This is the same function with the same
output (tests/unit/forms/test_widgets.py compares them) built with f-strings, installed by
create_app() where WTForms' widgets look it up.
"""

from markupsafe import Markup, escape
from wtforms.widgets import core

WTFORMS_HTML_PARAMS = core.html_params  # kept for the test that compares the two


def html_params(**kwargs) -> Markup:
    params = []
    for key, value in sorted(kwargs.items()):
        key = core.clean_key(key)
        if value is True:
            params.append(escape(key))
        elif value is not False:
            params.append(f'{escape(key)}="{escape(value)}"')
    return Markup(" ".join(params))


def install() -> None:
    """Widgets call the module's function, except Input and Button, which keep their own copy."""
    core.html_params = html_params
    core.Input.html_params = staticmethod(html_params)
    core.Button.html_params = staticmethod(html_params)
