"""The Qt Widgets interface. Talks to the core only through ``bildungskoordination.services``."""
