from django.urls import include, path

from vigil.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("vigil.web.urls")),
]
