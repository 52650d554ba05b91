"""Storage of cases: Django models and migrations. Models have no side effects; services write."""
