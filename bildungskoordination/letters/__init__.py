"""Bilingual referral letters (German + the person's language), drawn with ReportLab."""
