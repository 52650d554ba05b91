"""The web server behind `vigil serve` and `vigil demo`: gunicorn, with several worker processes.

One Python process renders one page at a time (the GIL), so a single-process server tops out at
what one core can render. Gunicorn forks ``workers`` processes that share the listening socket;
each has ``threads`` threads, so a slow client or a reader who keeps the connection open does
not hold a process.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from vigil import portal, web

THREADS = 4
KEEPALIVE = 75  # seconds an idle connection is kept open


# Gunicorn's access log, were it switched on: the request line, the status and the size, and
# never the client's address (%(h)s), user agent (%(a)s), referrer (%(f)s) or time: the public
# portal (vigil.portal) promises its reporters that none is kept. It is off (accesslog None).
ACCESS_LOG_FORMAT = '"%(r)s" %(s)s %(b)s'
_CLIENT = re.compile(r"ip=\S*?(?=: |$)")


class _ForgetClients(logging.Filter):
    """Takes the client's address out of gunicorn's own messages ("Invalid request from
    ip=...", a warning it writes when it refuses a malformed request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "ip=" in message:
            record.msg, record.args = _CLIENT.sub("ip=(not kept)", message), ()
        return True


class NoClientLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """Gunicorn's logger, which never writes where a request came from."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)  # run again on a reload: the filter is added once
        if not any(isinstance(f, _ForgetClients) for f in self.error_log.filters):
            self.error_log.addFilter(_ForgetClients())


def default_workers() -> int:
    """Gunicorn's rule of thumb: two processes a core, and one more."""
    return 2 * (os.cpu_count() or 1) + 1


class _Gunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        application = get_wsgi_application()
        _warm()
        return application


def _warm() -> None:
    """Import every view and compile every page template once, in the parent process before it
    forks (``preload_app``), so that no worker makes its first reader wait for that."""
    get_resolver().url_patterns  # noqa: B018  # imports the views, the API and its schema
    for root in (
        Path(web.__file__).parent / "templates",
        Path(portal.__file__).parent / "templates",
    ):
        for path in sorted(root.rglob("*.html")):
            get_template(path.relative_to(root).as_posix())
    connections.close_all()  # the forks open their own


def run(host: str, port: int, workers: int) -> None:
    """Serve Vigil on ``host:port`` until stopped (Ctrl-C or SIGTERM)."""
    # Connections the parent opened (migrations, demo users) must not be shared by the forks.
    connections.close_all()
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "preload_app": True,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": 120,
            # A reader's browser keeps its connection open between pages. Gunicorn's default
            # (2 s) closes it while they read, and a page asked for just as it closes fails;
            # 75 s is what proxies such as nginx keep by default.
            "keepalive": KEEPALIVE,
            "graceful_timeout": 10,
            "accesslog": None,
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": NoClientLogger,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "vigil",
        }
    ).run()
