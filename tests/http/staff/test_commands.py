"""S.1 commands: create-staff makes the first account, unlock-staff covers the last 管理担当."""

from nexi import db
from nexi.models import LoginFailure
from nexi.security import verify_password
from tests.support.staff import StaffPortal, staff_account


def test_create_staff_prints_a_temporary_password_once(app):
    result = app.test_cli_runner().invoke(
        args=["create-staff", "first-admin", "--name", "最初 の職員", "--role", "管理担当", "--role", "審査担当"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("仮パスワード（この一度だけ表示します）: ")[1].split()[0]
    account = staff_account(app, "first-admin")
    assert account.manager and account.reviewer and account.temporary_password
    with app.app_context():
        assert verify_password(account.password_hash, password)
    assert StaffPortal(app, app.test_client()).password_step("first-admin", password).h1 == "ワンタイムパスワード登録"


def test_create_staff_takes_a_password_and_checks_it(app):
    runner = app.test_cli_runner()
    refused = runner.invoke(
        args=["create-staff", "first-admin", "--name", "職員", "--role", "管理担当", "--password", "short"]
    )
    assert refused.exit_code != 0 and "10文字以上" in refused.output
    taken = runner.invoke(args=["create-staff", "DEMO-MANAGER", "--name", "職員", "--role", "管理担当"])
    assert taken.exit_code != 0 and "すでに使われています" in taken.output
    given = runner.invoke(
        args=[
            "create-staff",
            "first-admin",
            "--name",
            "職員",
            "--role",
            "審査担当",
            "--password",
            "a long given password",
        ]
    )
    assert given.exit_code == 0 and "仮パスワード（" not in given.output
    with app.app_context():
        assert verify_password(staff_account(app, "first-admin").password_hash, "a long given password")


def test_unlock_staff_unlocks_the_last_manager(app):
    staff = StaffPortal(app, app.test_client())
    for _ in range(5):
        staff.password_step("demo-manager", "wrong password")
    assert staff.password_step("demo-manager").h1 == "パスワードエラー"
    result = app.test_cli_runner().invoke(args=["unlock-staff", "demo-manager"])
    assert result.exit_code == 0 and "ロックを解除しました" in result.output
    with app.app_context():
        assert db.session().get(LoginFailure, "STAFF:demo-manager") is None
    assert staff.login("demo-manager").h1 == "職員コンソール"
