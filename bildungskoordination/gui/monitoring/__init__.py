"""Auswertung: the coordinator's own overview charts and the anonymised export for education monitoring."""
