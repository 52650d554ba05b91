"""Oversight: screening data for what no single case shows (pure Python, no Django).

- ``clearance``: clusters of unsolved homicides by the Murder Accountability Project's rule.
- ``cusum``: early warning when deaths run above their expected rate (risk-adjusted CUSUM).
- ``funnel``: control limits for comparing units' shares (funnel plots, Spiegelhalter 2005),
  with over-dispersion; ``funnel_plot``: the plot's geometry in SVG coordinates.
"""
