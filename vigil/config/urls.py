from django.urls import include, path

from vigil.api import api

urlpatterns = [
    path("api/", api.urls),
    # The public portal: no sign-in, its own headers, no cookie (vigil.portal).
    path("report/", include("vigil.portal.urls")),
    path("", include("vigil.web.urls")),
]
