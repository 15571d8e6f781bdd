"""Data protection (DSGVO): audit log, settings, retention and erasure, restriction, right of access.

Deliberately imports nothing here: the people services import ``privacy.audit`` and
``privacy.restriction`` while ``privacy.access_export`` imports the people package.
"""
