from django.urls import path

from pandu.outreach import plan_views, team_views, views, visit_views

app_name = "outreach"

urlpatterns = [
    path("", views.home, name="home"),
    path("ajukan/", views.apply, name="apply"),
    path("<uuid:public_id>/tarik/", views.withdraw, name="withdraw"),
    path("penilaian/", views.review_list, name="review_list"),
    path("penilaian/<uuid:public_id>/", views.review, name="review"),
    path("penilaian/<uuid:public_id>/bukti/<uuid:evidence_id>/", views.evidence, name="evidence"),
    path("penilaian/<uuid:public_id>/penjelasan/", views.review_details, name="review_details"),
    path("kunjungan/baru/", visit_views.visit_new, name="visit_new"),
    path("kunjungan/<uuid:public_id>/batal/", visit_views.visit_cancel, name="visit_cancel"),
    path("kunjungan/<uuid:public_id>/lokasi/", visit_views.visit_location, name="visit_location"),
    path("kunjungan/", visit_views.staff_list, name="visit_staff_list"),
    path("kunjungan/<uuid:public_id>/", visit_views.staff_detail, name="visit_staff_detail"),
    path("tim/", team_views.team_list, name="team_list"),
    path("tim/<uuid:public_id>/", team_views.team_edit, name="team_edit"),
    path("perangkat/<uuid:public_id>/status/", team_views.kit_status, name="kit_status"),
    path("giliran/", team_views.shift_list, name="shift_list"),
    path("giliran/<uuid:public_id>/hapus/", team_views.shift_delete, name="shift_delete"),
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
