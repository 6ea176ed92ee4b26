"""The password core (DOMAIN.md 3-2): policy, blocklists, generation, 仮パスワード expiry."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from nexi.auth import passwords
from nexi.clock import real_now
from nexi.security import hash_password


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def test_a_long_enough_password_of_any_characters_is_accepted(ctx):
    assert passwords.problems("川の流れのように 静かに", "demo-user") == []
    assert passwords.problems("correct horse battery", "demo-user") == []


@pytest.mark.parametrize(("password", "count"), [("a" * 9, 9), ("x" * 65, 65), ("ＡＢＣＤＥ１２３４", 9)])
def test_length_is_counted_after_nfkc_between_10_and_64(ctx, password, count):
    assert passwords.problems(password, "demo-user") == [
        f"パスワードは10文字以上64文字以内で入力してください（現在{count}文字）"
    ]


def test_ten_and_sixty_four_characters_are_the_bounds(ctx):
    assert passwords.problems("qzxyw-plmk", "demo-user") == []
    assert passwords.problems("k7" * 32, "demo-user") == []


def test_a_password_containing_the_id_in_any_case_or_width_is_refused(ctx):
    for password in ("my-DEMO-USER-pass", "ｄｅｍｏ－ｕｓｅｒ１２３４", "demo-user"):
        assert "パスワードにWebユーザーIDを含めることはできません" in passwords.problems(password, "demo-user")


def test_blocklisted_passwords_are_refused_case_insensitively(ctx):
    for password in ("Password123", "PASSWORD1234", "NEXI Webサービス", "nexi webサービス", "Ｎｅｘｉ１２３４５６"):
        assert any("推測されやすい" in problem for problem in passwords.problems(password, "demo-user")), password


def test_the_configured_blocklist_file_adds_to_the_bundled_one(ctx, tmp_path, monkeypatch):
    extra = tmp_path / "extra.txt"
    extra.write_text("# ours\nSampleSeiki2026\n", encoding="utf-8")
    assert passwords.problems("sampleseiki2026", "demo-user") == []
    monkeypatch.setitem(ctx.config, "NEXI_PASSWORD_BLOCKLIST", str(extra))
    assert passwords.problems("sampleseiki2026", "demo-user") == [
        "このパスワードは推測されやすいため使用できません。別のパスワードを入力してください"
    ]


def test_a_blocklist_setting_naming_no_file_stops_the_app():
    from nexi import config

    with pytest.raises(RuntimeError, match="NEXI_PASSWORD_BLOCKLIST"):
        config.load({"NEXI_PASSWORD_BLOCKLIST": "/nonexistent/list.txt"})


def test_the_new_password_must_differ_from_the_current_one(ctx):
    current = hash_password("川の流れのように 静かに")
    assert passwords.problems("川の流れのように 静かに", "demo-user", current) == [
        "パスワードは現在のパスワードと異なるものを入力してください"
    ]


def test_a_generated_password_satisfies_the_policy_and_differs_each_time(ctx):
    made = {passwords.generate("demo-user") for _ in range(20)}
    assert len(made) == 20
    for password in made:
        assert passwords.problems(password, "demo-user") == []
        assert len(password) == 19


def test_a_temporary_password_expires_after_the_configured_days(ctx, monkeypatch):
    account = SimpleNamespace(password_hash="", temporary_password=False, temporary_password_at=None)
    passwords.set_password(account, "川の流れのように 静かに", temporary=True)
    assert account.temporary_password and not passwords.temporary_expired(account)
    assert passwords.temporary_expired(account, real_now() + timedelta(days=7, seconds=1))
    assert not passwords.temporary_expired(account, real_now() + timedelta(days=6, hours=23))
    monkeypatch.setitem(ctx.config, "NEXI_TEMP_PASSWORD_DAYS", 1)
    assert passwords.temporary_expired(account, real_now() + timedelta(days=1, seconds=1))
    passwords.set_password(account, "川の流れのように 静かに", temporary=False)
    assert not account.temporary_password and account.temporary_password_at is None
    assert not passwords.temporary_expired(account, real_now() + timedelta(days=100))
