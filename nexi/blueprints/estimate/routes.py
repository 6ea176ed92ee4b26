"""6章 保険料試算 (⑭, screen pattern 2): the inputs of 6-1, the result of 6-4 and its chart.

Nothing is saved as an application. What was typed, and the estimate's inputs and 試算日, are the
screen's saved arguments (navigation state), so a refresh shows the same result (C.7).
"""

from datetime import date

from flask import request
from werkzeug.datastructures import MultiDict

from nexi import estimate
from nexi.blueprints.estimate import bp, chart
from nexi.blueprints.estimate.forms import DEFAULTS, EstimateForm
from nexi.clock import today
from nexi.masters import PRODUCTS
from nexi.navigation import guarded, screen, show
from nexi.rendering import render_screen

SCREEN = "estimate.index"


def _pairs(values: dict):
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            yield key, item


@bp.post("/")
@guarded
def index():
    """6章 保険料試算 (⑭): the inputs, with the defaults of 6-1."""
    return show(SCREEN, values=dict(DEFAULTS))


@bp.post("/calculate")
@guarded
def calculate():
    """6-2 試算する (or 「付保率の選択肢を更新」: the same answers, the choices they allow)."""
    day = today()
    form = EstimateForm(tables=estimate.tables_on(day))
    # The state keeps text only (a file posted for a field is no text).
    values = {name: value for name, value in form.data_for_state().items() if isinstance(value, str | list)}
    rating = form.effective_rating()
    if request.form.get("action") == "choices":
        return show(SCREEN, values=values, rating=rating)
    if not form.validate():
        return show(SCREEN, values=values, rating=rating, errors=form.errors_for_state())
    return show(SCREEN, values=values, rating=rating, inputs=form.inputs().as_state(), day=day.isoformat())


@screen(SCREEN, pattern=2)
def index_screen(
    values: dict | None = None,
    rating: str | None = None,
    errors: dict | None = None,
    inputs: dict | None = None,
    day: str | None = None,
):
    try:
        shown_day = date.fromisoformat(day) if day else today()
    except (TypeError, ValueError):  # kept by an older version of the portal
        shown_day, inputs = today(), None
    tables = estimate.tables_on(shown_day)
    form = EstimateForm(formdata=MultiDict(_pairs(values or DEFAULTS)), tables=tables, known_rating=rating)
    if errors:
        form.restore_errors(errors)
    result = None
    if inputs and not errors:
        try:
            result = estimate.estimate(estimate.Inputs.from_state(inputs), tables)
        except (estimate.NotUnderwritten, KeyError, ValueError, ArithmeticError):
            result = None  # kept by an older version of the portal, or a master row gone: no result
    return render_screen(
        "estimate/index.html",
        form=form,
        result=result,
        figures=chart.figures(result) if result else [],
        premium_chart=chart.premium_chart(result) if result else None,
        ladders=chart.ladder_charts(result) if result else [],
        conditions=chart.conditions(result, tables, PRODUCTS) if result else [],
        reference_only=estimate.REFERENCE_ONLY,
    )
