from tests.http.comprehensive.helpers import day  # noqa: F401  (a business day inside the demo 特約)
from tests.http.staff.conftest import staff  # noqa: F401  (NEXI staff complete what customers file)
from tests.support.contracts import empty_contract_book  # noqa: F401  (tests that count the open policies)
