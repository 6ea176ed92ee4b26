"""The sleeping-buyer cycle (S.5)."""
