from tests.http.staff.conftest import staff  # noqa: F401  (NEXI staff 受理 what customers file)
