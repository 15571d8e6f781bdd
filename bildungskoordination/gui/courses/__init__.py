"""Kurse and Vermittlungen: the catalogue, the courses that fit a person, the referrals to follow up."""
