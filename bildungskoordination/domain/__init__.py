"""Domain rules without storage or UI: names, partial dates, vocabularies, validation."""
