from django.urls import path

from pandu.queue import views

app_name = "queue"

urlpatterns = [
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/ticket/<str:token>/", views.kiosk_ticket, name="kiosk_ticket"),
    path("check-in/<uuid:public_id>/", views.officer_check_in, name="officer_check_in"),
    path("counters/", views.counter_list, name="counters"),
    path("counters/<uuid:public_id>/", views.counter_page, name="counter"),
    path("counters/<uuid:public_id>/<slug:action>/", views.counter_action, name="counter_action"),
    path("display/", views.display, name="display"),
    path("display/calls/", views.display_calls, name="display_calls"),
    path("t/<str:token>/", views.phone, name="phone"),
    path("t/<str:token>/status/", views.phone_status, name="phone_status"),
]
