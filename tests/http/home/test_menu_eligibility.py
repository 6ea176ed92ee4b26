"""C.7: an entry the 保険利用者 is not eligible for is listed without a link, with the reason; the
menus are kept per set of eligibilities, never per role alone, so one customer's never shows for
another that differs."""

from types import SimpleNamespace

from sqlmodel import select

from nexi import db
from nexi.blueprints.home import menus
from nexi.demo.accounts import CUSTOMERS
from nexi.models import Customer

SME_AREA = menus.Area(
    "⑨", "insurance", "テスト", "", (menus.Entry("中小企業の手続", endpoint="home.home", needs="sme"),)
)


def user(admin=False):
    return SimpleNamespace(is_admin=admin)


def customer(sme=False, agri=False):
    return SimpleNamespace(id=0, is_sme=sme, is_agri=agri)  # no such customer: it holds nothing


def test_eligibilities_are_the_role_and_the_customers_conditions(app):
    with app.test_request_context():
        assert menus.eligibilities(user(), customer()) == frozenset()
        assert menus.eligibilities(user(admin=True), customer(agri=True)) == {"admin", "sme"}
        assert menus.eligibilities(user(), customer(sme=True)) == {"sme"}


def test_an_entry_needing_a_condition_links_only_for_customers_that_meet_it(app):
    with app.test_request_context():
        (without,) = menus.items(SME_AREA, frozenset())
        (with_it,) = menus.items(SME_AREA, frozenset({"sme"}))
    assert (without.url, without.reason) == (None, "中小企業・農林水産業の要件を満たしていません")
    assert with_it.url is not None and with_it.reason is None


def test_the_menus_are_kept_per_set_of_eligibilities(app, portal, other_portal):
    app.extensions.pop("nexi_menus", None)
    portal.login("demo-admin")
    other_portal.login("demo-user")
    held = {"sme", "rider", "blanket", "association:02", "association:03"}  # demo: 中小企業, S.6 registrations
    assert set(app.extensions["nexi_menus"]) == {frozenset({"admin", *held}), frozenset(held)}


def test_what_staff_registered_decides_the_eligibilities(app):
    """C.7: サンプル精機 holds a 特約, a 包括保険契約 and 組合 membership (S.6); 東和 none."""
    with app.test_request_context():
        sample, other = (db.session().exec(select(Customer).where(Customer.code == code)).one()
                         for code in (CUSTOMERS[0]["code"], CUSTOMERS[1]["code"]))  # fmt: skip
        assert {"rider", "blanket", "association:02", "association:03"} <= menus.eligibilities(user(), sample)
        assert not {"rider", "blanket", "association:02", "association:03"} & menus.eligibilities(user(), other)
