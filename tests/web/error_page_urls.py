"""Vigil's URLs and one page that fails, for the test of the server error page."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure the reader must not see")


urlpatterns = [path("boom/", boom), path("", include("vigil.config.urls"))]
