from tests.http.staff.conftest import staff  # noqa: F401  (NEXI staff complete what customers file)
