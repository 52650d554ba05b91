"""Entry point of the `vigil` command."""

from __future__ import annotations

import os
import sys

import django


def run() -> None:
    # Whatever a command creates (the SQLite database and its journal, backups, exports, the
    # audit checkpoints, a server's files) is readable and writable by its owner only.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo serves plain HTTP on loopback, where a Secure cookie would never come back.
        os.environ.setdefault("VIGIL_SECURE_COOKIES", "0")
    django.setup()
    # The command tree imports services and models, which need Django configured first.
    from vigil.cli.app import app

    app()
