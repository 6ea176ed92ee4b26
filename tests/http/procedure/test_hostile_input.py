"""A net for every procedure and every step (the chapters declared now and later): generated and
hostile values — huge, empty, NUL and other control characters, invalid UTF-8, wrong types,
duplicated and missing fields, files in text fields, row numbers out of range — never give a
500; the step is shown again (or the flow moves on, for values that happen to be valid); the
session still works afterwards. Each step is reached by writing the flow state directly."""

import io
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexi.procedures import registry
from tests.support import sample
from tests.support.portal import Portal

# Bounded for CI: about 20 examples per step, the same ones every run, no timing.
BOUNDED = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "9" * 5000,
        "x" * 100_000,
        "\x00",
        "abc\x00def",
        "\x1b[31m",
        "\u202eevil",
        "-1",
        "0",
        "1e309",
        "NaN",
        "2099-13-45",
        "0001-01-01",
        "9999-12-31",
        "１２３",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "304-000101",
        "USD",
        "y",
    ]
)
VALUE = st.one_of(
    HOSTILE_TEXT,
    st.text(max_size=30),
    st.binary(max_size=12).map(lambda raw: raw),  # invalid UTF-8 among them
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def steps():
    """(procedure code, step key) of every declared procedure and of the engine's own test ones."""
    procedures = {**registry.PROCEDURES, **{p.code: p for p in (sample.SAMPLE, sample.TWIN)}}
    return [(code, step.key) for code, procedure in sorted(procedures.items()) for step in procedure.steps]


def field_names(app, code: str, step_key: str) -> list[str]:
    procedure = registry.PROCEDURES[code]
    with app.test_request_context():
        form = procedure.step(step_key).form(formdata=None, help_prefix=code)
        names = [field.name for field in form]
    return [*names, "schedule-0-amount", "schedule-9999999999-amount", "unknown"]


def encode(value) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def post_urlencoded(portal: Portal, url: str, pairs: list[tuple[str, object]]):
    body = "&".join(f"{quote_from_bytes(encode(k))}={quote_from_bytes(encode(v))}" for k, v in pairs)
    return portal.client.post(url, data=body.encode(), content_type="application/x-www-form-urlencoded")


def post_multipart(portal: Portal, url: str, pairs: list[tuple[str, object]]):
    data: dict = {}
    for key, value in pairs:
        if isinstance(value, bytes):  # a file where a text is expected
            value = (io.BytesIO(value), "x.pdf")
        data.setdefault(key, []).append(value)
    return portal.client.post(url, data=data, content_type="multipart/form-data")


@pytest.fixture
def signed_in(sample_app):
    """A logged-in customer (the suite's app plus the engine's test procedures)."""
    portal = Portal(sample_app, sample_app.test_client(), "plain")
    portal.login()
    return portal


def test_every_declared_step_is_swept(sample_app):
    assert {"B01", "B02", "B03", "B04", "B05", "T01"} <= {code for code, _ in steps()}


@pytest.mark.parametrize(("code", "step_key"), steps())
def test_hostile_values_never_break_a_step(sample_app, signed_in, code, step_key):
    names = field_names(sample_app, code, step_key)
    url = signed_in.url("procedure.input_submit")

    @BOUNDED
    @given(
        pairs=st.lists(st.tuples(st.sampled_from(names), VALUE), max_size=12),
        action=st.sampled_from(["next", "next", "back", "rows", "remove:report_files:99999999999999999999", "x"]),
        multipart=st.booleans(),
    )
    def sweep(pairs, action, multipart):
        flow = {"code": code, "at": "input", "step": step_key, "values": {}, "errors": {}, "files": {}}
        signed_in.put_state(screen="procedure.input", screen_args={}, procedure=flow, ticket=False)
        fields = [("csrf_token", signed_in.csrf), ("_nav", signed_in.server_token()), ("action", action), *pairs]
        response = (post_multipart if multipart else post_urlencoded)(signed_in, url, fields)
        assert response.status_code in (200, 303), response.status_code
        page = signed_in.get(signed_in.url("home.current"))  # the session still works
        assert page.h1

    sweep()
