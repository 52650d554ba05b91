"""Interchange: import, export and backup of the store."""
