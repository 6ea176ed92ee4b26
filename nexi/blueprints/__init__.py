"""The app's surface: one blueprint per manual chapter, registered in this order."""

from nexi.blueprints.auth import bp as auth
from nexi.blueprints.buyers import bp as buyers
from nexi.blueprints.comprehensive import bp as comprehensive
from nexi.blueprints.eapply import bp as eapply
from nexi.blueprints.estimate import bp as estimate
from nexi.blueprints.guide import bp as guide
from nexi.blueprints.home import bp as home
from nexi.blueprints.inquiry import bp as inquiry
from nexi.blueprints.insurance import bp as insurance
from nexi.blueprints.limits import bp as limits
from nexi.blueprints.losses import bp as losses
from nexi.blueprints.procedure import bp as procedure
from nexi.blueprints.staff import bp as staff
from nexi.blueprints.status import bp as status
from nexi.blueprints.users import bp as users

BLUEPRINTS = [
    auth,  # 1章 2-2 ログイン・ログアウト, 3章 3-1
    home,  # 1章 2-1 ユーザーページ, お知らせ
    users,  # 3章 ユーザー管理 (⑯: パスワード変更, 保険利用者情報照会, Webユーザー管理)
    procedure,  # 1章 2-3 手続きの基本的な流れ (the generic screens of every procedure)
    status,  # 4章 Web申込状況一覧照会
    inquiry,  # 5章 各種情報照会 (pattern 2)
    estimate,  # 6章 保険料試算 (pattern 2)
    buyers,  # 7章 海外商社（バイヤー）に関する手続き
    comprehensive,  # 8章 企業総合保険特約に関する手続き
    insurance,  # 9章 貿易保険の申込みに関する手続き
    limits,  # 10章 個別保証枠等に関する手続き
    losses,  # 11章 事故に関する手続き
    eapply,  # 12章 電子申請に関する手続き
    guide,  # ツールエリア: マニュアル, ヘルプ, お問い合わせ (read-only pages)
    staff,  # S NEXI職員の画面 (S.1 its own login, sessions and console)
]
