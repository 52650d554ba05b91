"""The public portal's use cases (``/report/``, no sign-in) and the safeguarding team's side.

The reporter's side: ``questions`` (what the portal asks, as data), ``answers`` (the rules the
answers meet), ``submissions`` (send a report, come back with the receipt code, add a message).
The team's side: ``queue``, ``triage`` and ``keys``. Both read and write ``sealed``, the one
format of what is sealed. Nothing here keeps a reporter's IP address, user agent, referrer or
time of day.
"""
