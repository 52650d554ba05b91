"""Linkage: profiles, pair links and alerts (one writer), cluster scans, series, training and
replay."""
