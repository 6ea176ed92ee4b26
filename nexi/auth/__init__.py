"""The authentication core shared by the customer portal and the NEXI staff login (DOMAIN.md 3-1 … 3-3, S.1)."""
