from django.contrib.auth import views as auth_views
from django.urls import path

from vigil.web import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("cases/<path:reference>/", views.case_detail, name="case-detail"),
    path("login/", auth_views.LoginView.as_view(template_name="vigil/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
