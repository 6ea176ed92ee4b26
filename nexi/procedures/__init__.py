"""The procedure engine and the procedure declarations, grouped by chapter."""
