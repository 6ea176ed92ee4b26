"""3-4 保険利用者情報照会: every field of the company, read-only; the user list for 管理者 only."""

from tests.support.pages import normalize


def fields(page, selector):
    return {
        normalize(row.select_one("dt").get_text()): normalize(row.select_one("dd").get_text())
        for row in page.select(f"{selector} > div")
    }


def test_every_field_of_the_company_is_shown(both):
    both.login("demo-user")
    page = both.go("users.company")
    assert page.h1 == "保険利用者情報照会"
    assert fields(page, ".company-data") == {
        "保険利用者コード": "123456789",
        "名称（和文）": "株式会社サンプル精機",
        "名称（英文）": "SAMPLE SEIKI CO., LTD.",
        "郵便番号": "100-0005",
        "住所（和文）": "東京都千代田区丸の内一丁目2番3号 サンプルビル8階",
        "住所（英文）": "8F Sample Bldg., 1-2-3 Marunouchi, Chiyoda-ku, Tokyo",
        "代表者役職・氏名": "代表取締役社長 山本 誠",
        "法人番号": "6010001034123",
        "中小企業区分": "該当",
        "農林水産業区分": "非該当",
    }
    assert fields(page, ".company-contact") == {
        "担当部署": "海外営業部",
        "担当者": "山田 太郎",
        "電話": "03-1234-5678",
        "e-mail": "export@sample-seiki.example.jp",
    }
    assert page.texts(".departments tbody tr") == [
        "EXP01 海外営業部 第一課",
        "EXP02 海外営業部 第二課",
        "PLT1 プラント事業部",
    ]
    assert fields(page, ".company-contracts") == {"特約": "登録なし", "組合員資格": "登録なし"}
    assert not page.select(".step-form input")  # read-only


def test_a_general_user_does_not_see_the_user_list(portal):
    portal.login("demo-user")
    assert not portal.go("users.company").select(".user-table")


def test_an_administrator_also_sees_the_user_list(portal):
    portal.login("demo-admin")
    page = portal.go("users.company")
    ids = [row["data-login-id"] for row in page.select(".user-table .user-row")]
    assert ids == ["demo-admin", "demo-disabled", "demo-locked", "demo-otp", "demo-temp", "demo-user"]
    assert not page.select(".user-table button")


def test_each_company_sees_its_own_data_only(portal):
    portal.login("other-admin")
    page = portal.go("users.company")
    assert fields(page, ".company-data")["保険利用者コード"] == "987654321"
    assert fields(page, ".company-data")["法人番号"] == "登録なし"
    assert page.texts(".departments tbody tr") == ["TRD1 貿易管理課"]
    assert [row["data-login-id"] for row in page.select(".user-row")] == ["demo-otp-new", "other-admin"]
