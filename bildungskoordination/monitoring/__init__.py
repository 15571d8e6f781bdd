"""Anonymised counts for education monitoring, with disclosure control (small counts suppressed)."""
