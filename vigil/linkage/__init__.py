"""Linkage: every case compared, explainably, with every other (pure Python, no Django)."""
