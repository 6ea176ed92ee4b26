"""Demo お知らせ: published over the last half year, plus one expired and one scheduled."""

from datetime import timedelta

from nexi import db
from nexi.clock import now
from nexi.models import Notice, NoticeCategory

# (days before today it was published, days it stays, category, title, body)
NOTICES = [
    (
        1,
        None,
        NoticeCategory.IMPORTANT,
        "年末年始の窓口業務について",
        "年末年始（12月29日〜1月3日）は、NEXIの窓口業務を休止いたします。\n"
        "Webサービスは期間中もご利用いただけますが、NEXIによる審査・受付は1月5日以降となります。\n"
        "お急ぎの手続きはお早めにお申込みください。",
    ),
    (
        6,
        None,
        NoticeCategory.SYSTEM,
        "Webサービスの定期メンテナンスのお知らせ",
        "次の日時に定期メンテナンスを行います。この間、Webサービスはご利用いただけません。\n"
        "日時：毎月第2日曜日 2時00分〜6時00分\n"
        "メンテナンス中に入力中の内容は保存されませんので、確認画面まで進めて一時保存してからご利用を中断してください。",
    ),
    (
        13,
        None,
        NoticeCategory.SYSTEM_RULES,
        "国カテゴリー及び引受方針の見直しについて",
        "OECDカントリーリスク専門家会合の結果を受け、一部の国の国カテゴリー及び引受方針を見直しました。\n"
        "最新の国別引受方針は「各種情報照会」の「国別引受方針」でご確認ください。",
    ),
    (
        21,
        None,
        NoticeCategory.OTHER,
        "スリーピング候補バイヤーの公表について",
        "一定期間お取引のない海外商社をスリーピング候補バイヤーとして公表しました。\n"
        "引き続きお取引のご予定がある場合は、解除申請期限までに「スリーピング候補バイヤー解除申請」をお申込みください。",
    ),
    (
        30,
        None,
        NoticeCategory.SYSTEM,
        "ワンタイムパスワードのご利用について",
        "Webサービスのセキュリティ向上のため、ワンタイムパスワードのご利用をお勧めしています。\n"
        "ご利用を希望される場合は、自社の管理者にご相談ください。",
    ),
    (
        45,
        None,
        NoticeCategory.SYSTEM_RULES,
        "貿易一般保険の保険料率改定について",
        "貿易一般保険の保険料率を改定しました。改定後の料率は、保険責任開始日が改定日以降の契約に適用されます。",
    ),
    (
        60,
        None,
        NoticeCategory.OTHER,
        "海外商社登録の審査期間について",
        "海外商社新規登録の審査には、信用調査報告書の取得を含め、通常2週間程度を要します。\n"
        "お取引の予定が決まりましたら、お早めにお申込みください。",
    ),
    (
        75,
        None,
        NoticeCategory.SYSTEM,
        "推奨ブラウザについて",
        "Webサービスは、最新版のMicrosoft Edge、Google Chrome、Mozilla Firefox、Safariでご利用いただけます。",
    ),
    (
        90,
        None,
        NoticeCategory.IMPORTANT,
        "電子申請の受付書類を拡大しました",
        "電子申請でお受けできる書類の種類を拡大しました。代表者印の押印が必要な書類についても、PDF形式でのご提出が可能です。",
    ),
    (
        120,
        None,
        NoticeCategory.OTHER,
        "中小企業・農林水産業輸出代金保険のご案内",
        "中小企業・農林水産業の皆様向けに、手続きが簡単な輸出代金保険をご用意しています。",
    ),
    (
        150,
        None,
        NoticeCategory.SYSTEM_RULES,
        "損失等発生通知の期限について",
        "損失等発生通知は、事故の発生を知った日から45日以内にご提出ください。期限を過ぎた場合は期限超過となります。",
    ),
    (
        180,
        None,
        NoticeCategory.SYSTEM,
        "Webサービスの操作マニュアルを更新しました",
        "操作マニュアルを更新しました。ツールエリアの「マニュアル」からご覧いただけます。",
    ),
    # expired: published 70 days ago for 60 days — must not show
    (
        70,
        60,
        NoticeCategory.OTHER,
        "【掲載終了】夏季休業期間の窓口業務について",
        "夏季休業期間中の窓口業務についてのお知らせです。",
    ),
    # scheduled: published 7 days from now — must not show yet
    (
        -7,
        None,
        NoticeCategory.IMPORTANT,
        "【予定】Webサービス機能追加のお知らせ",
        "Webサービスに新しい機能を追加する予定です。",
    ),
]


def seed() -> None:
    today = now().replace(hour=0, minute=0, second=0, microsecond=0)
    for days_ago, lasts, category, title, body in NOTICES:
        publish = today - timedelta(days=days_ago) + timedelta(hours=1)
        db.session().add(
            Notice(
                title=title,
                body=body,
                category=category,
                publish_at=publish,
                expire_at=publish + timedelta(days=lasts) if lasts else None,
            )
        )
