from django.urls import path

from pandu.outreach import plan_views, views

app_name = "outreach"

urlpatterns = [
    path("", views.home, name="home"),
    path("ajukan/", views.apply, name="apply"),
    path("<uuid:public_id>/tarik/", views.withdraw, name="withdraw"),
    path("penilaian/", views.review_list, name="review_list"),
    path("penilaian/<uuid:public_id>/", views.review, name="review"),
    path("penilaian/<uuid:public_id>/bukti/<uuid:evidence_id>/", views.evidence, name="evidence"),
    path("rencana/", plan_views.plan_list, name="plan_list"),
    path("rencana/<uuid:public_id>/", plan_views.plan_detail, name="plan_detail"),
    path("rencana/<uuid:public_id>/status/", plan_views.plan_status, name="plan_status"),
    path("rencana/<uuid:public_id>/atur/", plan_views.plan_adjust, name="plan_adjust"),
    path("rencana/<uuid:public_id>/terbitkan/", plan_views.plan_publish, name="plan_publish"),
    path("rencana/<uuid:public_id>/hitung-ulang/", plan_views.plan_resolve, name="plan_resolve"),
    path("tugas/", plan_views.my_routes, name="my_routes"),
    path("tugas/<uuid:public_id>/", plan_views.runsheet_page, name="runsheet"),
    path("tugas/<uuid:public_id>/pdf", plan_views.runsheet_pdf, name="runsheet_pdf"),
    path(
        "tugas/<uuid:public_id>/hasil/<uuid:request_id>/",
        plan_views.runsheet_outcome,
        name="runsheet_outcome",
    ),
    path("jadwal/<uuid:public_id>/", plan_views.visit_schedule, name="visit_schedule"),
    path("jadwal/tautan/<str:token>/", plan_views.visit_answer, name="visit_answer"),
]
