"""Entry point of the `vigil` command."""

from __future__ import annotations

import os

import django


def run() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
    django.setup()
    # The command tree imports services and models, which need Django configured first.
    from vigil.cli.app import app

    app()
