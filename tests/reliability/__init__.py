"""Reliability tests: crashes, full disks, read-only media, damaged files, leaks of plain text.

A package (with ``__init__``) so its module names cannot clash with test files of the same name elsewhere.
"""
