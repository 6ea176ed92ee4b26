"""受理 of E01 (DOMAIN.md 12-1, S.3): NEXI accepts the filing and may link it to a policy, a buyer
or an application of the same 保険利用者; the business result follows off-portal or in the linked
procedure. The links are kept in the application's result, which the customer sees."""

from wtforms import ValidationError

from nexi import fields
from nexi.forms import NexiForm
from nexi.procedures.buyers.rules import Registered, find
from nexi.procedures.eapply import rules
from nexi.procedures.eapply.forms import BUYER_KINDS, POLICY_KINDS, policy_number, web_number
from nexi.procedures.engine import Refused

RESULT_HELP = "shared.eapply_result"
ACCEPTED = "NEXIが受理しました"


class AcceptanceResultForm(NexiForm):
    """S.3 E01: 受理, optionally linked (each link is of the application's own customer)."""

    help_prefix = RESULT_HELP
    sections = [("関連付け（任意）", ["linked_policy", "linked_buyer", "linked_application"])]
    linked_policy = policy_number(
        "関連付ける証券番号", required=False, hint="この保険利用者の保険証券番号（14桁）です。任意です。"
    )
    linked_buyer = fields.buyer_code(
        "関連付けるバイヤーコード",
        required=False,
        extra=[Registered("バイヤーコード")],
        hint="例：304-000123。任意です。",
    )
    linked_application = web_number(
        "関連付けるWeb申込番号", hint="この保険利用者の申込みのWeb申込番号です。例：W20260415000123。任意です。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The staff console's decision form names every field's help after its own prefix
        # (nexi/blueprints/staff/review_forms.py decision_form); these are explained here.
        for name in ("linked_policy", "linked_buyer", "linked_application"):
            self[name].help_key = f"{RESULT_HELP}.{name}"

    @staticmethod
    def defaults(answers: dict, _application) -> dict:
        """The links start from what the customer named for the 申請種別 (an answer the kind
        does not ask for was ignored, so it is not proposed)."""
        kind = answers.get("kind")
        return {
            "linked_policy": answers.get("policy_number", "") if kind in POLICY_KINDS else "",
            "linked_buyer": answers.get("buyer_code", "") if kind in BUYER_KINDS else "",
            "linked_application": answers.get("related_number", ""),
        }

    def _customer_id(self) -> int | None:
        application = getattr(self, "application", None)
        return application.customer_id if application is not None else None

    def validate_linked_policy(self, field):
        customer_id = self._customer_id()
        if field.data and not field.errors and customer_id is not None:
            if not rules.own_policy(customer_id, field.data):
                raise ValidationError(rules.policy_message(field.data, "この保険利用者"))

    def validate_linked_application(self, field):
        customer_id = self._customer_id()
        if not field.data or field.errors or customer_id is None:
            return
        found = rules.customer_application(customer_id, field.data)
        if found is None or found.id == self.application.id:
            raise ValidationError(rules.application_message(field.data))


def complete_filing(application, inputs: dict) -> dict:
    """受理: the links checked again against the customer's rows (the form did; the register or
    the contract book may have changed since) and kept with the result."""
    result = {"受理": ACCEPTED}
    number = inputs.get("linked_policy")
    if number:
        if not rules.own_policy(application.customer_id, number):
            raise Refused(rules.policy_message(number, "この保険利用者"))
        result["関連付けた証券番号"] = number
    code = inputs.get("linked_buyer")
    if code:
        buyer = find(code)
        if buyer is None:
            raise Refused(f"バイヤーコード「{code}」は海外商社名簿に登録されていません")
        result["関連付けた海外商社"] = f"{buyer.code} {buyer.name_en}"
    related = inputs.get("linked_application")
    if related:
        found = rules.customer_application(application.customer_id, related)
        if found is None or found.id == application.id:
            raise Refused(rules.application_message(related))
        result["関連付けたWeb申込番号"] = related
    return result
