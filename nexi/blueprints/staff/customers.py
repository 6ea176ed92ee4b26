"""保険利用者 and Web users (S.8)."""
