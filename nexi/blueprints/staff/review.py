"""The review queue and decisions (S.2, S.3)."""
