import pytest

from .fake_providers import FakeProviders

TWILIO_SID = "AC" + "0" * 32
SMS_FROM = "+14165550100"
WHATSAPP_PHONE_ID = "109876543210"
# Templates "approved by Meta" for the notices the tests send by WhatsApp.
WHATSAPP_TEMPLATES = {
    "appointment_booked": {
        "names": {"id": "pandu_janji_tercatat", "en": "pandu_appointment_booked"},
        "params": ["appointment.reference", "start", "link"],
    },
    "waitlist_offer": {
        "names": {"id": "pandu_tawaran_kursi", "en": "pandu_seat_offer"},
        "params": ["link"],
    },
    "broadcast": {
        "names": {"id": "pandu_pesan_darurat", "en": "pandu_crisis_message"},
        "params": ["subject", "body", "link"],
    },
}


@pytest.fixture
def providers(settings):
    """Twilio and WhatsApp configured, both answered by a local fake server."""
    fake = FakeProviders().start()
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = "twilio-auth-token"
    settings.SMS_FROM = SMS_FROM
    settings.TWILIO_BASE_URL = fake.url
    settings.WHATSAPP_TOKEN = "whatsapp-access-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_ID
    settings.WHATSAPP_BASE_URL = f"{fake.url}/v21.0"
    settings.WHATSAPP_APP_SECRET = "meta-app-secret"
    settings.WHATSAPP_TEMPLATES = WHATSAPP_TEMPLATES
    fake.approve_configured(WHATSAPP_TEMPLATES)
    settings.NOTIFY_PROVIDER_TIMEOUT = 5
    yield fake
    fake.stop()
