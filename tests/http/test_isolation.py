"""The cross-customer sweep (issue 13, DOMAIN.md C.4): every guarded action and download that takes
the id of a customer's record is replayed with the ids of 株式会社サンプル精機's records, as another
customer's 管理者 (other-admin) and as a 一般 user of the same customer (demo-user, for what its
管理者 created). Nothing of the record may be shown or changed: no Web申込番号 or 対象 on the
screen or in a file, no file bytes, no change in the database, nothing of it kept in the
attacker's navigation state, and never a 500.

Which endpoints take an id is found, not listed: each guarded view is posted to, from the user
page and from every screen the guarded views lead to, while the request's form records the names
the view asks for. A view that asks for an id-like name (`number`, `attachment`, `application`,
`…_id`, `…_number`) or has a URL argument must have a replay recipe below (or be declared to read
shared data), so a later chapter's action joins the sweep when it is written.
"""

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Request
from sqlmodel import SQLModel, col, select
from werkzeug.datastructures import ImmutableMultiDict

from nexi import db
from nexi.clock import now, today
from nexi.models import Application, Attachment, Status, WebUser
from nexi.procedures import registry
from tests.support.pages import Page
from tests.support.portal import Portal

ID_NAMES = {"number", "application", "attachment", "applicant", "notice"}
ID_SUFFIXES = ("_id", "_number")
VICTIM_CUSTOMER = "株式会社サンプル精機"  # customer A of the demo data: demo-admin and demo-user
ATTACKERS = {
    "other-admin": "another customer's 管理者: none of A's records",
    "demo-user": "a 一般 user of A: none of the records A's 管理者 created",
}
ECHOED_ARGS = {"criteria", "typed"}  # screen arguments that keep what the user typed
# The activity of a login itself, which a replay does change.
ACTIVITY_TABLES = {"login_session", "audit_event", "login_failure"}


def id_like(name: str) -> bool:
    return name in ID_NAMES or name.endswith(ID_SUFFIXES)


# --- Which guarded endpoints read an id ----------------------------------------------------------

_asked: set[str] = set()


class _RecordingForm(ImmutableMultiDict):
    """request.form, .args and .files that remember the names the view asks for."""

    def __contains__(self, key):
        _asked.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        _asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's signature)
        _asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        _asked.add(key)
        return super().getlist(key, type)


class _RecordingRequest(Request):
    parameter_storage_class = _RecordingForm


def guarded_endpoints(app) -> dict[str, object]:
    """Every POST view marked by the navigation guard (guarded or readonly), with its rule."""
    found = {}
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "guarded", False):
            found[rule.endpoint] = rule
    return found


@dataclass
class Probe:
    reads: dict[str, set[str]]  # endpoint → the id-like names it reads
    failures: list[str]  # the posts that failed (500 or an exception)


def _asked_by(portal, endpoint: str, place: dict, failures: list[str]) -> set[str]:
    _asked.clear()
    where = f"{endpoint} posted on {place['screen']} ({(place['procedure'] or {}).get('code') or '-'})"
    try:
        response = portal.send(endpoint)
    except Exception as error:  # the test client re-raises what the app did not handle
        failures.append(f"{where}: {error!r}")
    else:
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
    return set(_asked)


_probed: list[Probe] = []


def probe(app) -> Probe:
    """Post to every guarded endpoint with no data, from the user page and then from each screen
    (and procedure) that some guarded endpoint leads to from there, and note the names each
    view asks for (a URL argument counts as one). Once per session: what a view reads does not
    depend on the demo data."""
    if not _probed:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(app, "request_class", _RecordingRequest)
            _probed.append(_probe(app, Portal(app, app.test_client())))
    return _probed[0]


def _probe(app, portal) -> Probe:
    endpoints = guarded_endpoints(app)
    portal.login("demo-admin")
    home = portal.state()
    reads = {endpoint: set(rule.arguments) for endpoint, rule in endpoints.items()}
    places, seen, failures = [], set(), []
    for endpoint in endpoints:
        portal.put_state(**home)
        reads[endpoint] |= _asked_by(portal, endpoint, home, failures)
        place = portal.state()
        key = (place["screen"], (place["procedure"] or {}).get("code"))
        if key not in seen:
            seen.add(key)
            places.append(place)
    kinds = set()
    for index, place in enumerate(places):
        for endpoint in _posted_from(place, endpoints, kinds, first=index == 0):
            portal.put_state(**place)
            reads[endpoint] |= _asked_by(portal, endpoint, place, failures)
    return Probe({endpoint: {name for name in names if id_like(name)} for endpoint, names in reads.items()}, failures)


def _posted_from(place: dict, endpoints, kinds: set, *, first: bool) -> list[str]:
    """What the sweep posts from `place`. The probe posts every endpoint from every screen, except
    that (to keep it linear in the procedures) a procedure's screen of a kind already swept —
    same screen, same screen pattern — gets only the procedure engine's endpoints, the ones whose
    reads depend on the procedure's declaration; and the staff console's endpoints, which a
    customer's session reaches only as refusals, are posted from the first screen only."""
    if first:
        return list(endpoints)
    code = (place["procedure"] or {}).get("code")
    customer = [endpoint for endpoint in endpoints if not endpoint.startswith("staff.")]
    if code is None:
        return customer
    kind = (place["screen"], registry.PROCEDURES[code].pattern)
    if kind in kinds:
        return [endpoint for endpoint in endpoints if endpoint.startswith("procedure.")]
    kinds.add(kind)
    return customer


# --- The records and the replays ---------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One of customer A's applications, with an attachment of its own."""

    number: str
    target: str
    creator: str
    attachment: int
    content: bytes


def _attach(app) -> list[Record]:
    """Give each of customer A's applications a PDF whose bytes name it."""
    records = []
    with app.app_context():
        session = db.session()
        rows = session.exec(
            select(Application, WebUser.login_id)
            .join(WebUser, col(WebUser.id) == col(Application.user_id))
            .where(col(Application.customer_id) == _customer_id(VICTIM_CUSTOMER))
            .order_by(col(Application.id))
        ).all()
        for application, login_id in rows:
            content = b"%PDF-1.4\n% secret of " + application.number.encode() + b"\n%%EOF\n"
            attachment = Attachment(
                customer_id=application.customer_id,
                user_id=application.user_id,
                application_id=application.id,
                field="report_files",
                filename=f"secret-{application.number}.pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                uploaded_at=now(),
            )
            session.add(attachment)
            session.flush()
            records.append(Record(application.number, application.target, login_id, attachment.id, content))
        session.commit()
    return records


def _customer_id(name: str) -> int:
    from nexi.models import Customer

    return db.session().exec(select(Customer.id).where(Customer.name_ja == name)).one()


def _own_number(app, login_id: str) -> str:
    with app.app_context():
        return (
            db.session()
            .exec(
                select(Application.number)
                .join(WebUser, col(WebUser.id) == col(Application.user_id))
                .where(col(WebUser.login_id) == login_id)
            )
            .first()
        )


def _own_targets(app, login_id: str) -> frozenset:
    """The 対象 of the user's own applications (the demo contract book has both customers, and
    both users of A, deal with the same buyers)."""
    with app.app_context():
        return frozenset(
            db.session().exec(
                select(Application.target)
                .join(WebUser, col(WebUser.id) == col(Application.user_id))
                .where(col(WebUser.login_id) == login_id)
            )
        )


def _wide_search() -> dict:
    return {
        "date_from": (today() - timedelta(days=364)).isoformat(),
        "date_to": today().isoformat(),
        "statuses": [status.value for status in Status],
        "order": "new",
    }


# endpoint → replays: (what is posted, given the record and a number of the replayer's own).
# A follow-up (status.csv after a search) is posted right after its replay.
RECIPES = {
    "status.detail": lambda record, own: [("status.detail", {"number": record.number})],
    "status.resume": lambda record, own: [
        ("status.resume", {"number": record.number}),
        ("status.resume", {"number": record.number, "action": "resubmit"}),
    ],
    "status.delete": lambda record, own: [
        ("status.delete", {"number": record.number}),
        ("status.delete", {"number": record.number, "confirmed": "yes"}),
    ],
    "status.withdraw": lambda record, own: [
        ("status.withdraw", {"number": record.number}),
        ("status.withdraw", {"number": record.number, "confirmed": "yes"}),
    ],
    "status.copy": lambda record, own: [("status.copy", {"number": record.number})],
    "status.attachment": lambda record, own: [
        ("status.attachment", {"number": record.number, "attachment": record.attachment}),
        ("status.attachment", {"number": own, "attachment": record.attachment}),  # a file of theirs under mine
    ],
    "status.search": lambda record, own: [
        ("status.search", _wide_search() | {"number": record.number}),
        ("status.csv", {}),
        ("status.search", _wide_search() | {"applicant": record.creator}),
        ("status.csv", {}),
    ],
}
# Endpoints whose ids name data every customer sees alike (C.4's global data).
SHARED = {"home.notice_detail": "お知らせ are published to every customer (DOMAIN.md S.7)"}
# Endpoints whose id-like names are typed by the user, not the ids of stored records (their own
# records are swept in their chapter's tests: tests/http/users/test_user_isolation.py).
TYPED = {
    "users.add_submit": "login_id is the WebユーザーID a 管理者 chooses for a new user (3-6)",
    # 確認管理番号, 証券番号, 内諾番号: answers typed or chosen in a procedure step, looked up only
    # among the customer's own rows (tests/http/insurance, tests/http/limits: another's is not found)
    "procedure.input_submit": "a procedure's numbers are answers, resolved in the customer's own scope",
    # 5-2: the 証券番号 criterion is searched among the customer's own policies only
    # (tests/http/inquiry/test_policies.py: another customer's is never found, even exactly)
    "inquiry.policy_search": "証券番号 is a typed search criterion, searched in the customer's own policies",
    # 5-4: 事故番号 and 証券番号 are criteria searched among the customer's own 事故 only
    # (tests/http/inquiry/test_losses.py: another customer's is never found, even exactly)
    "inquiry.loss_search": "事故番号 / 証券番号 are typed search criteria, searched in the customer's own 事故",
}


def _database(app) -> dict:
    with app.app_context():
        connection = db.session().connection()
        return {
            table.name: sorted(
                json.dumps(dict(row._mapping), default=str) for row in connection.execute(table.select())
            )
            for table in SQLModel.metadata.sorted_tables
            if table.name not in ACTIVITY_TABLES
        }


def _without_echoes(body: str, posted: dict) -> str:
    """The response with the posted values taken out of the fields that show them back (the
    search form keeps what was typed): what is left is what the server looked up."""
    soup = BeautifulSoup(body, "html.parser")
    typed = {str(value) for value in posted.values() if not isinstance(value, list)}
    for field in soup.select("input[value]"):
        if field.get("name") in posted and field["value"] in typed:
            del field["value"]
    return str(soup)


def _reveals(record: Record, response, posted: dict, shared: frozenset = frozenset()) -> list[str]:
    """What of the record the response shows. A 対象 in `shared` (one the replayer's own
    applications name too: buyers are global, C.4.1) is no sign of the record."""
    body = response.get_data()
    found = []
    if record.content in body:
        found.append("the attachment's bytes")
    raw = body.decode("utf-8", "replace")
    text = html.unescape(raw)
    if response.mimetype == "text/html" and (record.number in text or record.target in text):
        text = html.unescape(_without_echoes(raw, posted))
    if record.number in text:
        found.append(f"Web申込番号 {record.number}")
    if record.target in text and record.target not in shared:
        found.append(f"対象 {record.target}")
    return found


def _kept(portal) -> str:
    """The navigation state, but for the search as typed (kept to show it again)."""
    state = portal.state()
    state["screen_args"] = {key: value for key, value in state["screen_args"].items() if key not in ECHOED_ARGS}
    return json.dumps(state, ensure_ascii=False, default=str)


@pytest.fixture
def records(app):
    return _attach(app)


def test_every_guarded_endpoint_that_takes_an_id_has_a_replay_recipe(app):
    taking = {endpoint for endpoint, names in probe(app).reads.items() if names}
    missing = sorted(taking - RECIPES.keys() - SHARED.keys() - TYPED.keys())
    assert not missing, f"guarded endpoints that take an id have no replay recipe in {__name__}: {missing}"
    stale = sorted((RECIPES.keys() | SHARED.keys() | TYPED.keys()) - taking)
    assert not stale, f"recipes for endpoints that take no id (any more): {stale}"


@pytest.mark.parametrize("endpoint", sorted(RECIPES))
@pytest.mark.parametrize("attacker", sorted(ATTACKERS))
def test_a_replayed_id_shows_and_changes_nothing_of_the_record(app, portal, records, attacker, endpoint):
    victims = [record for record in records if attacker == "other-admin" or record.creator == "demo-admin"]
    assert victims
    own, shared = _own_number(app, attacker), _own_targets(app, attacker)
    portal.login(attacker)
    before = _database(app)
    for record in victims:
        for replayed, data in RECIPES[endpoint](record, own):
            response = portal.send(replayed, data)
            what = f"{attacker} replaying {replayed} {data} on {record.creator}'s {record.number}"
            assert response.status_code < 500, f"{what}: {response.status_code}"
            shown = _reveals(record, response, data, shared)
            assert not shown, f"{what} was shown {shown}"
            assert record.number not in _kept(portal), f"{what}: the navigation state holds it"
            assert _database(app) == before, f"{what} changed the database"
    assert Page(portal.send("home.home")).h1 == "ユーザーページ"  # the session still works


@pytest.mark.parametrize("endpoint", sorted(RECIPES))
def test_the_records_owner_is_shown_them_by_the_same_replays(app, portal, records, endpoint):
    # The recipes reach the records: without the scope (C.4) the sweep above would see them.
    portal.login("demo-admin")
    shown = []
    for record in records:
        for replayed, data in RECIPES[endpoint](record, record.number):
            shown += _reveals(record, portal.send(replayed, data), data)
    assert shown, f"{endpoint}'s replays show the owner nothing of its own records"


def test_no_guarded_endpoint_fails_when_posted_from_any_screen(app):
    # e.g. procedure.input_submit posted while B01 shows its 手続きの流れ (no step chosen yet)
    failures = probe(app).failures
    assert not failures, "\n".join(failures)
