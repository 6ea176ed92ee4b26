"""C.2: 申込む validates everything again against today's master data, and the rules and the stored
record use the normalised input."""

import pytest
from sqlmodel import select

from nexi import cache, db
from nexi.models import Application, Buyer, BuyerStatus, Country, Status
from tests.support.procedures import b01, walk


def change(app, model, key, **values):
    with app.app_context():
        row = db.session().exec(select(model).where(key)).one()
        for name, value in values.items():
            setattr(row, name, value)
        db.session().add(row)
        db.session().commit()
    cache.clear()  # the process's copy of the masters (NEXI staff's edit reaches every worker)


def test_a_country_policy_changed_between_confirm_and_submit_asks_for_the_acknowledgement(app, portal):
    portal.login()
    page = walk(portal, "buyers.register", b01())
    assert page.h1 == "海外商社新規登録（申込内容確認）" and not page.select(".warnings")
    change(app, Country, Country.code == "304", policy="引受停止")
    page = portal.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1 == "海外商社新規登録（申込内容確認）"
    assert any("引受停止国です" in warning for warning in page.texts(".warnings li"))
    assert page.field_error("acknowledge") == "「上記の注意事項を確認しました」にチェックを入れてください"
    done = portal.go("procedure.confirm_submit", {"action": "submit", "acknowledge": "y"})
    assert done.h1 == "海外商社新規登録（申込完了）"


def test_a_buyer_whose_status_changed_between_confirm_and_submit_is_refused(app, portal):
    portal.login()
    release = {"release": {"buyer_code": "601-000901", "release_reason": "取引再開", "plan_product": "01",
                           "plan_month": "2027-03", "plan_amount": "1000", "plan_currency": "USD"}}  # fmt: skip
    assert walk(portal, "buyers.sleeping_release", release).h1.endswith("（申込内容確認）")
    change(app, Buyer, Buyer.code == "601-000901", status=BuyerStatus.REGISTERED, release_deadline=None)
    page = portal.go("procedure.confirm_submit", {"action": "submit"})
    assert page.h1.endswith("（解除申請の内容）")
    assert page.field_error("buyer_code") == "バイヤーコード「601-000901」はスリーピング候補バイヤーではありません"


def test_a_buyer_whose_rating_changed_between_confirm_and_submit_is_the_new_rating(app, portal):
    """B02 asks NEXI to change a rating: one deleted from the register meanwhile is refused."""
    portal.login()
    b02 = {"target": {"buyer_code": "304-000101", "reason": "財務内容の改善"},
           "report": {"report_mode": "request", "fee_ack": "y"}}  # fmt: skip
    assert walk(portal, "buyers.rating_change", b02).h1.endswith("（申込内容確認）")
    change(app, Buyer, Buyer.code == "304-000101", rating="EA", status=BuyerStatus.DELETED)
    page = portal.go("procedure.confirm_submit", {"action": "submit"})
    assert page.field_error("buyer_code") == "バイヤーコード「304-000101」は海外商社名簿に登録されていません"


@pytest.mark.parametrize("typed", ["304000101", "３０４－０００１０１", " 304-000101", "304ー000101", "304‐000101"])
def test_a_buyer_code_is_kept_and_judged_normalised(app, portal, typed):
    portal.login()
    b02 = {"report": {"report_mode": "request", "fee_ack": "y"}}
    first = walk(portal, "buyers.rating_change", {"target": {"buyer_code": "304-000101", "reason": "理由"}, **b02})
    portal.go("procedure.confirm_submit", {"action": "submit"})
    assert first.h1.endswith("（申込内容確認）")
    page = walk(portal, "buyers.rating_change", {"target": {"buyer_code": typed, "reason": "理由"}, **b02})
    assert (
        page.field_error("buyer_code")
        == "バイヤーコード「304-000101」の格付変更申請は、すでにNEXIで受付中です（1件まで）"
    )
    assert portal.state()["procedure"]["values"]["target"]["buyer_code"] == "304-000101"
    with app.app_context():
        pending = (
            db.session()
            .exec(select(Application).where(Application.procedure == "B02", Application.status == Status.SUBMITTED))
            .all()
        )
    assert [application.target_key for application in pending].count("304-000101") == 1


def test_control_characters_are_refused_at_the_field_and_never_stored(portal):
    portal.login()
    page = walk(portal, "buyers.register", b01(buyer={"name_en": "NORTH\x00WIND", "city": "Sea\x1bttle"}))
    assert page.field_error("name_en") == "英文名称に使用できない文字（制御文字）が含まれています"
    assert page.field_error("city") == "都市に使用できない文字（制御文字）が含まれています"
    assert "\x00" not in str(portal.state()["procedure"])
