from django.urls import include, path

urlpatterns = [
    path("", include("vigil.web.urls")),
]
