"""Oversight: screening data for what no single case shows (pure Python, no Django).

- ``clearance``: clusters of unsolved homicides by the Murder Accountability Project's rule.
- ``cusum``: early warning when deaths run above their expected rate (risk-adjusted CUSUM).
"""
