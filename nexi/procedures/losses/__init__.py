"""11章 事故に関する手続き (DOMAIN.md §11): A01 損失等発生通知 (flow R, NEXI's 受理 creates the 事故),
A02 入金通知 (flow A) and A03 保険金請求期間の猶予期間設定申請 (flow R). The loss notices and 事故 they
act on are nexi/models/loss.py, kept by nexi/losses.py."""

from nexi.procedures.engine import Procedure, Step
from nexi.procedures.losses import extension, notice, receipt

LOSS_NOTICE = Procedure(
    code="A01",
    title="損失等発生通知",
    section="11-1",
    chapter="losses",
    path="notice",
    steps=(
        Step(notice.STEP_TARGET, "対象の保険と通知区分", notice.TargetForm),
        Step(notice.STEP_CONTENT, "事故の内容", notice.ContentForm),
    ),
    describe=notice.describe,
    check=notice.check,
    deadline=notice.DEADLINE,
    submitted=notice.submitted,
    ended=notice.ended,
    complete=notice.accept,
    intro=(
        "輸出代金の不払い、船積みの不能、増加費用の発生などの損失を通知する手続きです。保険金の請求には、"
        "この通知が必要です。\n"
        "船積後の損失は決済期限から45日以内、船積前・増加費用の損失は事故確定日から45日以内に通知してください"
        "（期限を過ぎても通知はできますが、期限超過として扱われます）。決済期限の前でも通知できます。\n"
        "NEXIが受理すると事故番号が付番され、保険金の請求開始日と請求期限が決まります。"
    ),
    completion_note="NEXIで内容を確認し、受理します。結果（事故番号）は「Web申込状況一覧」でご確認ください。",
)

RECEIPT = Procedure(
    code="A02",
    title="入金通知",
    section="11-2",
    chapter="losses",
    path="receipt",
    steps=(Step("loss", "対象の事故", receipt.LossForm), Step("receipt", "入金の内容", receipt.ReceiptForm)),
    describe=receipt.describe,
    check=receipt.check,
    deadline=receipt.DEADLINE,
    reviewed=False,
    submitted=receipt.submitted,
    complete=receipt.complete,
    intro=(
        "損失等発生通知の後に、輸出代金などの入金があったことを通知する手続きです。入金日から1か月以内に"
        "通知してください（損失等発生通知の受理より前の入金は、受理日から1か月以内）。\n"
        "申し込むと直ちに入金が記録され、元本の入金は事故の未回収残額から差し引かれます。"
    ),
)

EXTENSION = Procedure(
    code="A03",
    title="保険金請求期間の猶予期間設定申請",
    section="11-3",
    chapter="losses",
    path="extension",
    steps=(Step("loss", "対象の事故", extension.LossForm), Step("request", "猶予の内容", extension.RequestForm)),
    describe=extension.describe,
    check=extension.check,
    exclusive=(extension.EXCLUSIVE,),
    submitted=extension.submitted,
    complete=extension.complete,
    result_form=extension.ApprovalForm,
    intro=(
        "回収を続けているため、保険金の請求期限を延ばしたいときの手続きです。現在の請求期限の日の"
        "23時59分59秒（日本時間）までに申請してください。1回の申請で延ばせるのは6か月までです。\n"
        "審査中の申請がある間は、請求期限を過ぎても保険金の請求権は失われません。NEXIが承認すると、"
        "承認された日付が新しい請求期限になります。"
    ),
)

PROCEDURES = (LOSS_NOTICE, RECEIPT, EXTENSION)
