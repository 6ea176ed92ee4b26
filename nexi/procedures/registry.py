"""Every declared procedure, by code (DOMAIN.md C.1)."""

PROCEDURES: dict = {}
