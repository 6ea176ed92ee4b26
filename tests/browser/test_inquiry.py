"""⑮ 各種情報照会 as people use it, JavaScript on and off: a buyer search (5-1), a row's detail and the
way back to the same result, the CSV of the rows shown."""

from pathlib import Path

from tests.browser.conftest import click_to, login, text


def codes(page) -> list[str]:
    return [text(cell) for cell in page.locator("table.table--inquiry-buyers tbody th").all()]


def test_a_buyer_search_a_detail_back_and_the_csv(ui, check_accessibility, tmp_path):
    login(ui, "demo-user")
    click_to(ui, "button:text-is('各種情報照会')", "各種情報照会")
    assert ui.locator(".button--logout").inner_text() == "終了"
    assert ui.locator(".inquiry-list button").count() == 5  # every inquiry of §5 is linked (5-4 with 11章)
    click_to(ui, ".inquiry-list button:text-is('海外商社情報')", "海外商社情報")
    click_to(ui, "button:text-is('検索')", "海外商社情報")
    assert "いずれか1つ以上を指定してください" in text(ui.locator(".error-summary"))
    ui.fill("#name", "ｌｔｄ")
    ui.click("button:text-is('検索')")
    ui.wait_for_selector("table.table--inquiry-buyers")
    check_accessibility(ui)
    found = codes(ui)
    assert "105-000201" in found and len(found) > 1
    click_to(ui, "table.table--inquiry-buyers button:text-is('105-000201')", "海外商社情報（詳細）")
    assert "88 Century Avenue, Pudong, Shanghai" in text(ui.locator(".buyer-detail"))
    assert "枠あり" in text(ui.locator(".buyer-detail"))
    check_accessibility(ui)
    click_to(ui, "button:text-is('戻る')", "海外商社情報")
    assert codes(ui) == found
    assert ui.input_value("#name") == "ltd"
    with ui.expect_download() as info:
        ui.click("button:text-is('CSVダウンロード')")
    saved = Path(tmp_path) / "buyers.csv"
    info.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8").removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("バイヤーコード,英文名称,別名")
    assert [line.split(",")[0] for line in lines[1:]] == found
    # the page stays usable after the download: the next search runs
    ui.fill("#name", "")
    ui.select_option("#country", "304")
    ui.click("button:text-is('検索')")
    ui.wait_for_selector("table.table--inquiry-buyers button:text-is('105-000201')", state="detached")
    assert codes(ui) == ["304-000101", "304-000102"]
    assert not ui.locator(".message--warning").count()
