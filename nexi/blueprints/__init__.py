"""The app's surface: one blueprint per manual chapter, registered in this order."""

from nexi.blueprints.auth import bp as auth
from nexi.blueprints.estimate import bp as estimate
from nexi.blueprints.guide import bp as guide
from nexi.blueprints.home import bp as home
from nexi.blueprints.inquiry import bp as inquiry

BLUEPRINTS = [
    auth,  # 1章 2-2 ログイン・ログアウト, 3章 3-1
    home,  # 1章 2-1 ユーザーページ, お知らせ
    inquiry,  # 5章 各種情報照会 (pattern 2)
    estimate,  # 6章 保険料試算 (pattern 2)
    guide,  # ツールエリア: マニュアル, ヘルプ, お問い合わせ (read-only pages)
]
