from django.urls import path

from pandu.issuance import views

app_name = "issuance"

urlpatterns = [
    path("<uuid:public_id>/", views.verify, name="verify"),
]
