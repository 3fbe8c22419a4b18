from django.contrib.auth import views as auth_views
from django.urls import path

from mentorbadges.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("p/<slug:program>/kudos/", views.summary, name="kudos-summary"),
    path("p/<slug:program>/kudos/all/", views.all_badges, name="all-badges"),
    path(
        "p/<slug:program>/kudos/<int:award>/withdraw/",
        views.withdraw,
        name="withdraw-kudos",
    ),
    path(
        "p/<slug:program>/kudos/give/<int:loop>/<int:recipient>/",
        views.give,
        name="give-kudos",
    ),
    path("p/<slug:program>/kudos/sent/<str:key>/", views.kudos_sent, name="kudos-sent"),
    path("p/<slug:program>/badges.csv", views.badges_csv, name="badges-csv"),
    path("p/<slug:program>/people/", views.people, name="people"),
    path("p/<slug:program>/people/<int:participant>/", views.profile, name="profile"),
    path("p/<slug:program>/rejections/", views.rejections, name="rejections"),
]
