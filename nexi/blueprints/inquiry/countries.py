"""5-5 国別引受方針: every country of M.1 in effect today (filters optional), a country's detail, and
the CSV of the rows shown (C.7). The filters are the screen's saved arguments, as in 5-1."""

from flask import request

from nexi import inquiries
from nexi.blueprints.inquiry import bp
from nexi.blueprints.inquiry.forms import CountryInquiryForm
from nexi.blueprints.status import downloads
from nexi.navigation import guarded, readonly, screen, show, state
from nexi.procedures.state import multidict
from nexi.rendering import add_message, render_screen

LIST, DETAIL = "inquiry.countries", "inquiry.country"
GONE = "指定された国・地域は見つかりません。"


def _criteria(name: str) -> dict:
    current = state()
    kept = (current.screen_args or {}).get("criteria") if current.screen == name else None
    return kept or inquiries.country_criteria()


@bp.post("/countries")
@guarded
def countries():
    """5-5 国別引受方針 (from 各種情報照会): every country."""
    return show(LIST, criteria=inquiries.country_criteria())


@bp.post("/countries/search")
@guarded
def country_search():
    """5-5 絞り込み."""
    form = CountryInquiryForm()
    if not form.validate():
        return show(LIST, criteria=_criteria(LIST), typed=form.data_for_state(), errors=form.errors_for_state())
    return show(LIST, criteria=form.criteria())


@screen(LIST, pattern=2)
def list_screen(criteria: dict, typed: dict | None = None, errors: dict | None = None):
    rows, capped = inquiries.country_policies(criteria)
    form = CountryInquiryForm(formdata=multidict(typed if typed is not None else criteria))
    form.restore_errors(errors or {})
    filtered = any(criteria.values())
    return render_screen(
        "inquiry/countries.html", form=form, rows=rows, capped=capped, limit=inquiries.LIMIT, filtered=filtered
    )


@bp.post("/countries/detail")
@guarded
def country():
    """5-5 国・地域の詳細."""
    criteria = _criteria(LIST)
    code = request.form.get("country")
    if inquiries.country_policy(code) is None:
        add_message(GONE, level="warning")
        return show(LIST, criteria=criteria)
    return show(DETAIL, code=code, criteria=criteria)


@screen(DETAIL, pattern=2)
def detail_screen(code: str, criteria: dict):
    return render_screen("inquiry/country.html", policy=inquiries.country_policy(code), code=code)


@bp.post("/countries/back")
@guarded
def country_back():
    """The detail's 戻る: the list as it was filtered."""
    return show(LIST, criteria=_criteria(DETAIL))


CSV_COLUMNS = [
    "コード",
    "国名",
    "国名（英）",
    "地域",
    "カテゴリー",
    "変更前のカテゴリー",
    "カテゴリー変更日",
    "引受方針",
    "案件枠（億円）",
    "最長ユーザンス（か月）",
    "L/C条件",
    "基準適用日",
    "備考",
]


def _blank(value) -> str:
    return "" if value is None else str(value)


def csv_lines(rows: list[inquiries.CountryPolicy]) -> list[list]:
    return [
        [
            policy.code,
            policy.version.name_ja,
            policy.version.name_en,
            policy.version.region,
            policy.version.category,
            policy.previous_category or "",
            policy.changed_on.isoformat() if policy.changed_on else "",
            policy.version.policy,
            _blank(policy.version.case_limit_oku),
            _blank(policy.version.max_usance_months),
            policy.version.lc_condition,
            policy.version.valid_from.isoformat(),
            policy.version.note,
        ]
        for policy in rows
    ]


@bp.post("/countries/csv")
@readonly
def country_csv():
    """5-5 CSVダウンロード of the rows the list shows."""
    rows, _capped = inquiries.country_policies(_criteria(LIST))
    return downloads.table_csv(CSV_COLUMNS, csv_lines(rows), "country_policies.csv")
