"""The stored search key of 5-1 (英文名称 and 別名, normalised): written with every buyer, however it
is inserted, kept when a name or alias changes, and filled for existing buyers by migration 0013."""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlmodel import select

from nexi import db
from nexi.models import Buyer
from nexi.procedures.buyers import completion
from tests.http.inquiry.helpers import add_buyers, codes, search, search_key


def test_a_buyer_added_by_the_orm_has_its_key(app):
    # the demo register (nexi/demo/buyers.py) is written through the ORM
    assert search_key(app, "105-000201") == "shanghai huaxin trading co., ltd.\n上海華信貿易有限公司"
    assert search_key(app, "304-000101") == "acme industrial supply inc.\n"


def test_a_buyer_inserted_in_bulk_without_a_key_gets_it_from_the_column_default(app):
    add_buyers(app, [{"code": "999-000001", "name_en": "ＦＵＬＬ　ＷＩＤＴＨ  Trading", "alias": "Ａｌｉａｓ  Ｘ"}])
    assert search_key(app, "999-000001") == "full width trading\nalias x"


class _Completed:
    """A 完了 B03 as the completion reads it."""

    def __init__(self, values):
        self.values = values

    def answers(self):
        return self.values


def test_a_new_name_or_alias_given_at_completion_is_searched_at_once(app, portal):
    with app.test_request_context():
        completion.complete_name_address(
            _Completed({"buyer_code": "304-000102", "change_kind": "name", "new_name_en": "PACIFIC ROBOTICS INC."}), {}
        )
        completion.complete_name_address(
            _Completed({"buyer_code": "304-000102", "change_kind": "alias", "new_alias": "太平洋ロボ"}), {}
        )
        db.session().commit()
    assert search_key(app, "304-000102") == "pacific robotics inc.\n太平洋ロボ"
    portal.login("demo-user")
    assert codes(search(portal, name="robotics")) == ["304-000102"]
    assert codes(search(portal, name="太平洋ロボ")) == ["304-000102"]
    assert codes(search(portal, name="machinery")) == []


def test_a_change_through_the_orm_keeps_the_key(app):
    with app.app_context():
        buyer = db.session().exec(select(Buyer).where(Buyer.code == "213-000401")).one()
        buyer.alias = "ライン機械"
        db.session().add(buyer)
        db.session().commit()
    assert search_key(app, "213-000401") == "rheinland maschinenbau gmbh\nライン機械"


def _migration():
    path = Path(__file__).resolve().parents[3] / "migrations" / "versions" / "0013_buyer_search_key.py"
    spec = importlib.util.spec_from_file_location("migration_0013", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_fills_the_key_of_the_buyers_already_registered():
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE buyer (id INTEGER PRIMARY KEY, name_en VARCHAR, alias VARCHAR)"))
        connection.execute(
            sa.text("INSERT INTO buyer VALUES (1, 'ＡＣＭＥ  Corp', ''), (2, 'Beta Ltd', '別名　ＢＥＴＡ')")
        )
        with Operations.context(MigrationContext.configure(connection)):
            _migration().upgrade()
        keys = dict(connection.execute(sa.text("SELECT id, search_key FROM buyer")).all())
        indexes = [row[1] for row in connection.execute(sa.text("PRAGMA index_list(buyer)")).all()]
    assert keys == {1: "acme corp\n", 2: "beta ltd\n別名 beta"}
    assert "ix_buyer_search_key" in indexes
