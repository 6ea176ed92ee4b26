"""Statement budget recipes of the 更新案 screens on the console (8-4, S.6): 更新案の作成 with 1 and
50 企総登録 and the 更新案 with 1 and 50 rows, of a 特約 of the registrations recipes' customer
(tests/support/recipes/registrations.py) of its own, T209900002."""

from datetime import date

from sqlalchemy import delete, select

from nexi.models import RenewalProposal, RenewalProposalRow, Rider, RiderBuyer
from tests.support.recipes import Recipe, Rows
from tests.support.recipes.registrations import MOMENT, _buyers, _customer, _rider_row, _with

RIDER = "T209900002"
RIDERS, RIDER_BUYERS = Rider.__table__, RiderBuyer.__table__
PROPOSALS, PROPOSAL_ROWS = RenewalProposal.__table__, RenewalProposalRow.__table__


def _rider(connection) -> int:
    customer = _customer(connection)
    found = connection.execute(select(RIDERS.c.id).where(RIDERS.c.number == RIDER)).scalar()
    if found is None:
        found = connection.execute(RIDERS.insert().returning(RIDERS.c.id), _rider_row(customer, RIDER)).scalar_one()
    return found


def _proposal(connection) -> int:
    rider = _rider(connection)
    found = connection.execute(select(PROPOSALS.c.id).where(PROPOSALS.c.rider_id == rider)).scalar()
    if found is None:
        found = connection.execute(
            PROPOSALS.insert().returning(PROPOSALS.c.id),
            {"rider_id": rider, "customer_id": _customer(connection), "issued_on": date(2099, 10, 31),
             "deadline_on": date(2099, 11, 30), "state": "提示中", "created_at": MOMENT, "updated_at": MOMENT,
             "version": 0},
        ).scalar_one()  # fmt: skip
    return found


def _candidates(connection, n: int) -> None:
    customer, rider = _customer(connection), _rider(connection)
    connection.execute(delete(RIDER_BUYERS).where(RIDER_BUYERS.c.rider_id == rider))
    connection.execute(
        RIDER_BUYERS.insert(),
        [{"rider_id": rider, "customer_id": customer, "buyer_id": buyer, "destination": "304",
          "settlement_method": "送金", "max_usance_days": 90, "limit_jpy": 1_000_000 if i % 2 else None,
          "limit_set_on": None, "increases": 0, "state": "有効", "created_at": MOMENT, "updated_at": MOMENT,
          "version": 0} for i, buyer in enumerate(_buyers(connection, n))],
    )  # fmt: skip


def _rows(connection, n: int) -> None:
    customer, proposal = _customer(connection), _proposal(connection)
    connection.execute(delete(PROPOSAL_ROWS).where(PROPOSAL_ROWS.c.proposal_id == proposal))
    connection.execute(
        PROPOSAL_ROWS.insert(),
        [{"proposal_id": proposal, "customer_id": customer, "buyer_id": buyer, "last_year_turnover_jpy": 1000 * i,
          "current_limit_jpy": None, "proposed_limit_jpy": 1_000_000 if i % 2 else None, "unused": i == 0}
         for i, buyer in enumerate(_buyers(connection, n))],
    )  # fmt: skip


def _args(app) -> dict:
    return {"customer_id": _with(app, _customer), "rider_id": _with(app, _rider), "values": {}}


def _proposal_args(app) -> dict:
    _with(app, _proposal)  # the screen shows the 特約's 更新案: it must exist without any rows made
    return _args(app)


ROWS = {
    "renewal_candidates": Rows(_candidates, "tr.renewal-row"),
    "renewal_rows": Rows(_rows, "tr.renewal-row"),
}
RECIPES = {
    "staff.renewal_issue": Recipe(_args, ("renewal_candidates",)),
    "staff.renewal_proposal": Recipe(_proposal_args, ("renewal_rows",)),
}
