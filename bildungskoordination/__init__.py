"""Bildungskoordination – Fallverwaltung für die Bildungskoordination für Neuzugewanderte."""

__version__ = "0.1.0"
APP_NAME = "Bildungskoordination"
