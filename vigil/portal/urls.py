"""The portal's addresses, under ``/report/`` (``vigil.config.urls``). None carries a receipt
code or anything a reporter typed."""

from django.urls import path

from vigil.portal import views

urlpatterns = [
    path("", views.start, name="portal-start"),
    path("drugging/", views.drugging, name="portal-drugging"),
    path("concern/", views.concern, name="portal-concern"),
    path("done/", views.done, name="portal-done"),
    path("return/", views.come_back, name="portal-return"),
]
