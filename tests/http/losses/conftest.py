"""Fixtures of the chapter 11 tests."""

from tests.http.staff.conftest import staff  # noqa: F401  (NEXI staff complete what customers file)
from tests.support.contracts import empty_contract_book  # noqa: F401  (tests written against an empty book)
