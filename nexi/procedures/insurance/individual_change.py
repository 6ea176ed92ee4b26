"""IA2 貿易一般保険（個別） 変更 (DOMAIN.md 9-5), flow R: its declaration, and the factory every I*2
declares itself with (IB2, IC2, ID2 in product_changes.py). The fields are in change_forms.py, the
rules and 申込む / 取下げ in change.py, NEXI's 完了 in change_completion.py; each I*2 offers and
accepts only its own product's policies (ChangeTargetForm.product)."""

from nexi.procedures.engine import Procedure, Step
from nexi.procedures.insurance import change, change_completion
from nexi.procedures.insurance.change_forms import STEP_CONTENT, STEP_TARGET, ChangeContentForm, ChangeTargetForm


def _initial(context) -> dict:
    """枝番 00; started from a policy (`context.source`, e.g. 5-2's 保険契約照会), that policy."""
    source = context.source
    if source is not None and getattr(source, "number", None):
        return {STEP_TARGET: {"policy_number": source.number, "branch": getattr(source, "branch", "00")}}
    return {STEP_TARGET: {"branch": "00"}}


def target_form(product: str) -> type[ChangeTargetForm]:
    """Step 1 offering the customer's policies of `product` only."""
    if product == ChangeTargetForm.product:
        return ChangeTargetForm
    return type(f"ChangeTargetForm{product}", (ChangeTargetForm,), {"product": product})


def change_procedure(
    code: str, title: str, path: str, product: str, intro: str, *, check=change.check, **eligibility
) -> Procedure:
    """A 9-5 変更 of the policies of `product` (`check`: change.check with the product's own 9-3;
    `eligibility`: eligible=, ineligible= as its 申込)."""
    return Procedure(
        code=code,
        title=title,
        section="9-5",
        chapter="insurance",
        path=path,
        steps=(
            Step(STEP_TARGET, "対象・変更種別", target_form(product)),
            Step(STEP_CONTENT, "変更内容", ChangeContentForm),
        ),
        describe=change.describe,
        check=check,
        initial=_initial,
        exclusive=(change.EXCLUSIVE,),
        deadline=change.DEADLINE,
        submitted=change.submitted,
        ended=change.ended,
        complete=change_completion.complete,
        result_form=change_completion.result_form,
        staff_facts=change_completion.staff_facts,
        intro=intro,
        **eligibility,
    )


INDIVIDUAL_CHANGE = change_procedure(
    "IA2",
    "貿易一般保険（個別） 変更",
    "individual-change",
    "01",
    "貿易一般保険（個別）の保険に付けた契約の内容が変わったときに届け出る手続きです。"
    "変更事由の発生日から1か月以内にお届けください（過ぎた場合は「期限超過」として扱われます）。\n"
    "損失等発生通知のある保険は変更できません。信用危険をてん補している保険の金額増額で、支払人が格付"
    "EE・EA・EM・EFの場合は、個別保証枠の確認管理番号が必要です（申し込むと増額分が引き当てられます）。"
    "支払人・決済条件変更で新しい支払人が格付EE・EA・EM・EFの場合も、その支払人の確認管理番号が必要です。"
    "NEXIの審査後、変更の内容と追加/返還保険料を「Web申込状況一覧」でお知らせします。",
)
