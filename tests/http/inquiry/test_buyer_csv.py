"""5-1 CSVダウンロード: the rows the result shows, UTF-8 with BOM, a cell that could start a formula
quoted; a read-only request (C.7): the navigation token and the screen stay as they were."""

from tests.http.inquiry.helpers import add_buyers, codes, download, search


def test_the_csv_holds_the_rows_shown_with_a_bom_and_the_columns_of_the_list(portal):
    portal.login("demo-user")
    shown = codes(search(portal, name="ltd"))
    response, rows = download(portal, "inquiry.buyer_csv")
    assert response.get_data().startswith("\ufeff".encode())
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert rows[0] == [
        "バイヤーコード", "英文名称", "別名", "国コード", "国", "都市", "本店/支店", "本店コード", "格付", "格付適用日",
        "信用危険てん補", "個別保証枠", "解除申請期限", "状態", "削除日",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == shown
    shanghai = next(row for row in rows if row[0] == "105-000201")
    assert shanghai[1:5] == ["SHANGHAI HUAXIN TRADING CO., LTD.", "上海華信貿易有限公司", "105", "中華人民共和国"]
    assert shanghai[8] == "EM" and shanghai[10:12] == ["枠要", "枠あり"] and shanghai[13] == "登録"


def test_a_deleted_buyer_s_row_names_its_state_and_date(portal):
    portal.login("demo-user")
    search(portal, code="224-000001")
    _response, rows = download(portal, "inquiry.buyer_csv")
    assert rows[1][13] == "削除済" and len(rows[1][14]) == 10


def test_a_cell_that_could_start_a_formula_is_quoted(app, portal):
    add_buyers(app, [{"code": "999-000001", "name_en": "=HYPERLINK(1) TRADING", "alias": "+81 ALIAS"}])
    portal.login("demo-user")
    search(portal, code="999-000001")
    _response, rows = download(portal, "inquiry.buyer_csv")
    assert rows[1][1:3] == ["'=HYPERLINK(1) TRADING", "'+81 ALIAS"]


def test_a_capped_result_downloads_the_200_rows_shown(app, portal):
    add_buyers(app, [{"code": f"999-{n:06d}", "name_en": f"CAPTEST {n:03d} LTD"} for n in range(1, 202)])
    portal.login("demo-user")
    search(portal, name="captest")
    _response, rows = download(portal, "inquiry.buyer_csv")
    assert [row[0] for row in rows[1:]] == [f"999-{n:06d}" for n in range(1, 201)]


def test_the_download_neither_rotates_the_token_nor_changes_the_screen(portal):
    portal.login("demo-user")
    search(portal, country="304")
    before, screen = portal.server_token(), portal.state()
    download(portal, "inquiry.buyer_csv")
    assert portal.server_token() == before and portal.state() == screen
    assert codes(portal.go("inquiry.buyer_search", {"code": "", "name": "", "country": "105"})) == ["105-000201"]


def test_without_a_search_the_csv_has_its_header_only(portal):
    portal.login("demo-user")
    page = portal.go("inquiry.index")
    page = portal.go("inquiry.buyers")
    assert not [form for form in page.select("form") if form["action"].endswith("/buyers/csv")]
    _response, rows = download(portal, "inquiry.buyer_csv")
    assert len(rows) == 1
