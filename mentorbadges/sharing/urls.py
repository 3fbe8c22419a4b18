from django.urls import path

from mentorbadges.sharing import views

urlpatterns = [
    path("p/<slug:program>/share/", views.share, name="share"),
    path(
        "p/<slug:program>/share/<int:link>/revoke/",
        views.revoke,
        name="share-revoke",
    ),
    path("s/<str:token>/", views.public_summary, name="share-public"),
    path("s/<str:token>/preview.png", views.preview, name="share-preview"),
    path("ob/programs/<slug:slug>/issuer", views.ob_issuer, name="ob-issuer"),
    path("ob/programs/<slug:slug>/badges/<slug:key>", views.ob_badge, name="ob-badge"),
    path(
        "ob/programs/<slug:slug>/badges/<slug:key>/image.png",
        views.ob_badge_image,
        name="ob-badge-image",
    ),
    path("ob/assertions/<str:public_id>", views.ob_assertion, name="ob-assertion"),
    path(
        "ob/assertions/<str:public_id>/image.png",
        views.ob_assertion_image,
        name="ob-assertion-image",
    ),
    path("ob/verify/<str:public_id>/", views.ob_verify, name="ob-verify"),
    path("me/achievements/", views.achievements, name="my-achievements"),
    path(
        "me/achievements/<int:award>/publish/",
        views.publish_achievement,
        name="publish-achievement",
    ),
    path(
        "me/achievements/<int:award>/withdraw/",
        views.withdraw_achievement,
        name="withdraw-achievement",
    ),
]
