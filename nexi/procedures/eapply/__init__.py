"""12章 電子申請に関する手続き (DOMAIN.md §12): E01 電子申請, flow R.

Documents that otherwise need the representative's seal are filed as PDF uploads (the shared
file rules, nexi/attachments.py); 完了 is NEXI's 受理, optionally linked to a policy, a buyer or an
application (S.3). Any user may file; only a 管理者 the 保険利用者情報変更 証明書類 (the form's rule).
"""

from nexi.procedures.eapply import completion, forms
from nexi.procedures.engine import Procedure, Step


def _target(values: dict) -> tuple[str, str | None]:
    """対象: the kind and the 件名; the key is the 証券番号 or バイヤーコード the kind asks for."""
    kind = values.get("kind")
    label = forms.KIND_LABELS.get(kind, "")
    subject = values.get("subject") or ""
    key = None
    if kind in forms.POLICY_KINDS:
        key = values.get("policy_number") or None
    elif kind in forms.BUYER_KINDS:
        key = values.get("buyer_code") or None
    return (f"{label}：{subject}"[:200], key)


FILING = Procedure(
    code="E01",
    title="電子申請",
    section="12-1",
    chapter="eapply",
    path="filing",
    steps=(Step("filing", "申請内容", forms.FilingForm),),
    describe=_target,
    complete=completion.complete_filing,
    result_form=completion.AcceptanceResultForm,
    intro=(
        "代表者印を押印した書類（保険金請求書、重大な内容変更通知、特約書など）を、PDFファイルのアップロードで"
        "提出する手続きです。申請種別を選び、件名と書類のPDFを添付してください。\n"
        "PDFは1ファイル10MBまで、合わせて5ファイルまで添付できます。パスワードで保護されたPDFや、"
        "JavaScript等を含むPDFは添付できません。NEXIが受理すると「Web申込状況一覧」に結果が表示されます。"
    ),
    completion_note="NEXIで書類を確認し、受理します。結果は「Web申込状況一覧」でご確認ください。",
)

PROCEDURES = (FILING,)
