"""The JSON API (Django Ninja) at /api/: a face over the same services as the pages."""

from vigil.api.app import api

__all__ = ["api"]
