"""The history of a 企総登録 (DOMAIN.md 8, S.1): every 完了 of K01–K03 that writes one is
audit-logged with the row before and after, by the NEXI staff member who completed it."""

from flask import has_request_context
from flask_login import current_user

from nexi.audit import audit
from nexi.models import RiderBuyer
from nexi.procedures.comprehensive import own


def audited(action: str, row: RiderBuyer, before: dict | None) -> None:
    staff = getattr(current_user, "staff", None) if has_request_context() else None
    audit(f"staff.rider_buyer.{action}", staff=staff, target=row.id, before=before, after=own.snapshot(row))
