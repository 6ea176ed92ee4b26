"""The buyer register on the console (S.4)."""
