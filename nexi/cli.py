"""flask commands: db-upgrade, seed-demo, unlock-user, create-staff, unlock-staff, rotate-otp-key."""

from pathlib import Path

import click
from flask import Flask, current_app

ROOT = Path(__file__).resolve().parent.parent


def alembic_config():
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = current_app.config["NEXI_DATABASE_URL"]
    return config


def upgrade_database() -> None:
    from alembic import command

    url = current_app.config["NEXI_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(), "head")


def init_app(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade():
        """Apply the Alembic migrations up to the newest."""
        upgrade_database()
        click.echo("データベースを最新の状態にしました。")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo data into an empty database (never in production)."""
        from nexi import demo

        if current_app.config["NEXI_ENV"] == "production":
            raise click.ClickException("NEXI_ENV=production ではデモデータを投入しません。")
        if not demo.database_is_empty():
            click.echo("データベースにデータがあるため、デモデータの投入は行いませんでした。")
            return
        demo.seed()
        click.echo("デモデータを投入しました。")

    @app.cli.command("run-daily")
    @click.option("--date", "day", default=None, help="the day the jobs take as today (YYYY-MM-DD)")
    def run_daily(day):
        """The daily jobs (C.5): 一時保存 → 期限切れ after NEXI_DRAFT_EXPIRY_DAYS, the purge of
        期限切れ / 取下げ / 不承認 records older than NEXI_PURGE_MONTHS, and of uploads no saved
        application holds after 24 hours (real time: --date does not move it), and the changes of
        保険利用者 data (U01) whose 変更日 has come, and, where NEXI_SLEEPING_AUTO_REMOVE is on, the
        removal of スリーピング候補 past their 解除申請期限 (S.5), and 確認 past their 有効期限 → 期限切れ,
        their 予約残円 back to the 残高 (10-1), and the 使用額 of policies nobody reported on released
        NEXI_AUTO_RELEASE_DAYS after their last 決済期限 (10-3), and 特約 past their 満了日 → 満了 (8-4),
        and 事故 受理 → 請求可能 on their 請求開始日, 受理 / 請求可能 → 請求期限経過 once the 請求期限
        has passed with no A03 pending (11). Each is idempotent."""
        from nexi import applications, attachments, customers, db, limits, losses, policies, register, registrations
        from nexi.clock import today

        clock = current_app.config.get("NEXI_NOW")
        if day:  # the day the jobs take as today, for this run only (the app may live on: tests)
            current_app.config["NEXI_NOW"] = f"{day}T00:00:00"
        try:
            expired = applications.expire_drafts()
            purged = applications.purge_old()
            orphans = attachments.purge_orphans()
            changed = customers.apply_all_due()
            lapsed = limits.expire(today())
            released = policies.auto_release(today())
            riders = registrations.expire(today())
            claimable, lapsed_claims = losses.advance(today())
            sleeping = register.remove_all_due() if current_app.config["NEXI_SLEEPING_AUTO_REMOVE"] else None
            db.session().commit()
        finally:
            current_app.config["NEXI_NOW"] = clock
        click.echo(
            f"期限切れにした一時保存: {expired}件、削除した古い申込み: {purged}件、"
            f"削除した未使用のアップロードファイル: {orphans}件、"
            f"登録内容の変更を反映した保険利用者: {changed}件、期限切れにした確認: {lapsed}件、"
            f"使用額を自動解放した保険: {released}件、満了にした特約: {riders}件、"
            f"請求可能にした事故: {claimable}件、請求期限経過にした事故: {lapsed_claims}件"
            + (f"、削除したスリーピング候補バイヤー: {sleeping}件" if sleeping is not None else "")
        )

    @app.cli.command("unlock-user")
    @click.argument("login_id")
    def unlock_user(login_id):
        """Unlock a WebユーザーID locked by failed logins (the count is reset)."""
        from nexi import db
        from nexi.audit import audit
        from nexi.auth import lockout
        from nexi.security import login_key

        key = login_key(login_id)
        was_locked = lockout.is_locked(key)
        lockout.reset_failures(key)
        audit("login.unlock", login_key=key, by="command")
        db.session().commit()
        click.echo(
            f"{login_id} のロックを解除しました。"
            if was_locked
            else f"{login_id} はロックされていません（失敗回数を0に戻しました）。"
        )

    @app.cli.command("create-staff")
    @click.argument("login_id")
    @click.option("--name", required=True, help="氏名")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(["審査担当", "管理担当"]))
    @click.option("--password", default=None, help="the 仮パスワード (default: a generated one, printed once)")
    def create_staff(login_id, name, roles, password):
        """Create a NEXI staff account (S.1) with a 仮パスワード; TOTP is enrolled at its first login."""
        import re

        from nexi import db
        from nexi.auth import passwords
        from nexi.blueprints.staff import service
        from nexi.blueprints.users.forms import LOGIN_ID

        if not re.fullmatch(LOGIN_ID, login_id):
            raise click.ClickException("ログインIDは半角英数字と「.」「_」「-」で6～20文字にしてください。")
        if service.find(login_id) is not None:
            raise click.ClickException(f"ログインID {login_id} はすでに使われています。")
        if not 1 <= len(name.strip()) <= 40:
            raise click.ClickException("氏名は1～40文字にしてください。")
        if password is not None and (found := passwords.problems(password, login_id)):
            raise click.ClickException(" / ".join(found))
        staff, temporary = service.create(login_id, name.strip(), list(roles), password)
        db.session().commit()
        click.echo(f"職員 {login_id}（{'・'.join(staff.roles)}）を作成しました。")
        if password is None:
            click.echo(f"仮パスワード（この一度だけ表示します）: {temporary}")
        click.echo(
            f"仮パスワードは{passwords.temporary_days()}日間有効です。最初のログインでワンタイムパスワードを登録し、パスワードを変更します。"
        )

    @app.cli.command("unlock-staff")
    @click.argument("login_id")
    def unlock_staff(login_id):
        """Unlock a staff login ID locked by failed logins (the last 管理担当 too)."""
        from nexi import db
        from nexi.audit import audit
        from nexi.auth import lockout
        from nexi.blueprints.staff import service

        staff = service.find(login_id)
        if staff is None:  # counts of an unknown ID are reset all the same (3-1: no ID is revealed)
            was_locked = lockout.is_locked(lockout.staff_key(login_id))
            lockout.reset_failures(lockout.staff_key(login_id))
            audit("staff.account.unlocked", login_key=lockout.staff_key(login_id), by_command=True)
        else:
            was_locked = service.unlock(staff, command=True)
        db.session().commit()
        click.echo(
            f"{login_id} のロックを解除しました。"
            if was_locked
            else f"{login_id} はロックされていません（失敗回数を0に戻しました）。"
        )

    @app.cli.command("rotate-otp-key")
    def rotate_otp_key():
        """Re-encrypt every stored one-time password secret with NEXI_OTP_KEY's first key (README)."""
        from nexi import db
        from nexi.audit import audit
        from nexi.auth import otp

        try:
            count = otp.rotate_all()
        except otp.KeyMissing as exc:
            db.session().rollback()
            raise click.ClickException(
                "NEXI_OTP_KEY のどの鍵でも復号できない秘密鍵があるため、何も変更しませんでした。"
                "古い鍵を NEXI_OTP_KEY に残してください。"
            ) from exc
        audit("otp.key_rotated", by="command", secrets=count)
        db.session().commit()
        click.echo(f"ワンタイムパスワードの秘密鍵 {count}件を新しい鍵で暗号化しなおしました。")
