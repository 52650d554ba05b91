"""Vigil: record a death completely, categorise it by policy, show what was not done, link it."""

__version__ = "0.1.0"
