"""People and their counselling contacts: records, validation, services, search, import, demo data."""
