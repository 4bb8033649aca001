from django.urls import path

from pandu.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.home, name="home"),
    path("ajukan/", views.apply, name="apply"),
    path("<uuid:public_id>/tarik/", views.withdraw, name="withdraw"),
    path("penilaian/", views.review_list, name="review_list"),
    path("penilaian/<uuid:public_id>/", views.review, name="review"),
    path("penilaian/<uuid:public_id>/bukti/<uuid:evidence_id>/", views.evidence, name="evidence"),
]
