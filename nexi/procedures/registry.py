"""Every procedure of the portal (DOMAIN.md C.1), from the chapters' declarations.

Chapters are listed here explicitly (not registered as a side effect of importing a blueprint).
Every code of the catalogue is declared by its chapter (a test fails otherwise).
"""

from nexi.procedures import buyers, company, comprehensive, eapply, insurance, limits, losses

CHAPTERS = (
    company,
    buyers,
    comprehensive,
    insurance,
    limits,
    losses,
    eapply,
)  # each lists its declarations in PROCEDURES


def _declared() -> dict:
    found = {}
    for chapter in CHAPTERS:
        for procedure in chapter.PROCEDURES:
            if procedure.code in found:
                raise ValueError(f"procedure {procedure.code} declared twice")
            found[procedure.code] = procedure
    return found


PROCEDURES: dict = _declared()


def declare(procedure) -> None:
    """Add a procedure outside the chapters (a test's own procedure); its start route is mounted
    by the app created after it."""
    if procedure.code in PROCEDURES and PROCEDURES[procedure.code] is not procedure:
        raise ValueError(f"procedure {procedure.code} declared twice")
    PROCEDURES[procedure.code] = procedure
    CATALOGUE[procedure.code] = procedure.title


def withdraw(code: str) -> None:
    PROCEDURES.pop(code, None)
    CATALOGUE.pop(code, None)


# The catalogue's order (DOMAIN.md C.1), for lists and the 手続種別 filter.
ORDER = ("U01", "B01", "B02", "B03", "B04", "B05", "K01", "K02", "K03", "K04", "IA1", "IA2", "IB1", "IB2",
         "IC1", "IC2", "ID1", "ID2", "IE1", "IE2", "IF1", "L01", "L02", "L03", "A01", "A02", "A03", "E01")  # fmt: skip


def admin_only(code: str) -> bool:
    return PROCEDURES[code].admin_only


def title(code: str) -> str:
    """The procedure's name (手続名); an unknown code (a test's procedure withdrawn) as itself."""
    procedure = PROCEDURES.get(code)
    return procedure.title if procedure else code


# code → 手続名 of every procedure of C.1, in the catalogue's order.
CATALOGUE = {code: title(code) for code in ORDER}
