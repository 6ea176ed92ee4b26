"""8章 企業総合保険特約に関する手続き (DOMAIN.md §8): K01 期中企総登録, K02 支払限度額増額申請,
K03 企総登録内容変更・削除, all flow R (NEXI reviews), for a customer holding a 有効 企業総合 特約
(C.7). K04 特約年度更新 is declared apart."""

from nexi.procedures.comprehensive.change import CHANGE_OR_DELETE
from nexi.procedures.comprehensive.increase import INCREASE
from nexi.procedures.comprehensive.registration import REGISTRATION

PROCEDURES = (REGISTRATION, INCREASE, CHANGE_OR_DELETE)

from nexi.procedures.comprehensive.renewal import RENEWAL  # noqa: E402  (K04, declared apart)

PROCEDURES = (*PROCEDURES, RENEWAL)
