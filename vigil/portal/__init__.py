"""The public portal (``/report/``): the face through which anyone, without signing in, reports
drugging or sexual violence, or a worry about how a death is being investigated, and comes back
with a receipt code to read replies and add more. Built like SecureDrop's source interface: no
script, nothing from other hosts, no cookie, and no trace of the reporter's connection kept in
the database, the audit trail or the logs.

Like the other faces it parses input, calls a service (``vigil.services``) and renders the
answer; it reuses the web face's form building and GOV.UK markup.
"""

PREFIX = "/report/"
"""Where the portal lives (``vigil.config.urls``); the logging filter forgets requests here."""
