"""Provider webhooks: outside the language prefix, since providers call one fixed address."""

from django.urls import path

from pandu.notify import webhooks

app_name = "notify_hooks"

urlpatterns = [
    path("twilio/inbound/", webhooks.twilio_inbound, name="twilio_inbound"),
    path("twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("whatsapp/", webhooks.whatsapp, name="whatsapp"),
]
