from django.urls import path

from pandu.feedback import views

app_name = "feedback"

urlpatterns = [
    path("terima-kasih/", views.thanks, name="thanks"),
    path("kios/", views.kiosk, name="kiosk"),
    path("kios/terima-kasih/", views.kiosk_thanks, name="kiosk_thanks"),
    path("kios/<uuid:public_id>/", views.kiosk_survey, name="kiosk_survey"),
    path("tindak-lanjut/", views.follow_up_list, name="follow_ups"),
    path("tindak-lanjut/<uuid:public_id>/", views.follow_up_detail, name="follow_up"),
    path("<str:token>/", views.survey, name="survey"),
]
