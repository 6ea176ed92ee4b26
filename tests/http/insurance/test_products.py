"""Issue 18: the 9-1 steps and the 9-3 checks exist once in the code. Every 9-1 product (IA1, IB1,
IC1, ID1, IF1) declares the three shared steps with common.py's forms or subclasses of them that
only add or remove questions, and its check runs checks.acceptance for its own 保険種別."""

import inspect

import pytest
from sqlmodel import select

from nexi import db
from nexi.models import Customer, WebUser
from nexi.procedures import registry
from nexi.procedures.engine import Context, Findings
from nexi.procedures.insurance import checks, common

PRODUCTS = {"IA1": "01", "IB1": "02", "IC1": "03", "ID1": "04", "IF1": "06"}
BASES = {common.STEP_CONTRACT: common.ContractForm, common.STEP_MONEY: common.MoneyForm}


def _shared_fields(base) -> set[str]:
    return {name for name, value in vars(base).items() if hasattr(value, "field_class")}


def _cover_base(form):
    """The CoverForm that common.cover_form made, among the form's classes."""
    return next(cls for cls in inspect.getmro(form) if cls.__qualname__ == "cover_form.<locals>.CoverForm")


@pytest.mark.parametrize("code", sorted(PRODUCTS))
def test_each_product_declares_the_shared_steps_adding_to_them(code):
    procedure = registry.PROCEDURES[code]
    assert [step.key for step in procedure.steps] == [common.STEP_CONTRACT, common.STEP_MONEY, common.STEP_COVER]
    for step in procedure.steps:
        base = BASES.get(step.key) or _cover_base(step.form)
        assert issubclass(step.form, base), f"{code} {step.key} is not built on common.py's form"
        for cls in inspect.getmro(step.form):
            if cls is base or not issubclass(cls, base):
                continue
            # a product's own class may remove a shared question (None) or add its own, never redefine one
            redefined = {name for name, value in vars(cls).items()
                         if name in _shared_fields(base) and value is not None}  # fmt: skip
            assert not redefined, f"{code} {cls.__name__} redefines shared questions {redefined}"


@pytest.mark.parametrize("code", sorted(PRODUCTS))
def test_each_products_check_runs_the_shared_acceptance_checks_for_its_product(app, monkeypatch, code):
    called = []

    def acceptance(values, product, customer_id, *, application_id=None):
        called.append(product)
        return Findings()

    monkeypatch.setattr(checks, "acceptance", acceptance)
    with app.test_request_context():
        customer = db.session().exec(select(Customer).where(Customer.code == "123456789")).one()
        user = db.session().exec(select(WebUser).where(WebUser.login_id == "demo-admin")).one()
        registry.PROCEDURES[code].check(Context(user=user, customer=customer, values={}))
    assert called == [PRODUCTS[code]]
