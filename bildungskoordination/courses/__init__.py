"""Providers, courses and referrals (Vermittlungen); the eligibility engine lives in ``matching``."""
