"""Casework use cases: the writers of a case's facts, persons, decisions and investigation, on one
frame (``unit``)."""
