"""Every declared procedure, by code (DOMAIN.md C.1). Chapter modules declare theirs on import
(nexi/procedures/<chapter>/__init__.py); each chapter's blueprint imports its module."""

PROCEDURES: dict = {}


def declare(*procedures) -> None:
    for procedure in procedures:
        if procedure.code in PROCEDURES and PROCEDURES[procedure.code] is not procedure:
            raise ValueError(f"procedure {procedure.code} declared twice")
        PROCEDURES[procedure.code] = procedure


# DOMAIN.md C.1: every procedure of the portal, declared yet or not (for lists and filters).
CATALOGUE = {
    "U01": "保険利用者情報変更申請",
    "B01": "海外商社新規登録",
    "B02": "格付変更申請",
    "B03": "名称・住所の変更・追加",
    "B04": "海外支店・子会社等の登録・削除",
    "B05": "スリーピング候補バイヤー解除申請",
    "K01": "期中企総登録",
    "K02": "支払限度額増額申請",
    "K03": "企総登録内容変更・削除",
    "K04": "特約年度更新",
    "IA1": "貿易一般保険（個別） 申込",
    "IA2": "貿易一般保険（個別） 変更",
    "IB1": "設備財包括保険 申込",
    "IB2": "設備財包括保険 変更",
    "IC1": "消費財包括保険 申込",
    "IC2": "消費財包括保険 変更",
    "ID1": "企業総合保険 申込",
    "ID2": "企業総合保険 変更",
    "IE1": "簡易通知型包括保険 申込（船積確定通知）",
    "IE2": "簡易通知型包括保険 変更（訂正・取消）",
    "IF1": "中小企業・農林水産業輸出代金保険 申込",
    "L01": "個別保証枠取得（確認申請）",
    "L02": "枠戻し",
    "L03": "決済通知",
    "A01": "損失等発生通知",
    "A02": "入金通知",
    "A03": "保険金請求期間の猶予期間設定申請",
    "E01": "電子申請",
}
