import pytest

from pandu.people.models import User
from tests.notify.conftest import SMS_FROM, TWILIO_SID, WHATSAPP_PHONE_ID

from .factories import make_citizens
from .fake_twilio import FakeProvidersWithList


@pytest.fixture
def providers(settings):
    """Twilio (with its list of sent messages) and WhatsApp, answered by a local fake server."""
    fake = FakeProvidersWithList().start()
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = "twilio-auth-token"
    settings.SMS_FROM = SMS_FROM
    settings.TWILIO_BASE_URL = fake.url
    settings.WHATSAPP_TOKEN = "whatsapp-access-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = WHATSAPP_PHONE_ID
    settings.WHATSAPP_BASE_URL = f"{fake.url}/v21.0"
    settings.NOTIFY_PROVIDER_TIMEOUT = 5
    settings.BROADCAST_RATE_SMS = 0
    settings.BROADCAST_RATE_EMAIL = 0
    settings.BROADCAST_RATE_WHATSAPP = 0
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def only_our_registrations(request):
    """Counts in these tests are of the registrations each test makes: any the demo holds are
    ended first (inside the test's transaction, or before a transactional test's own rows)."""
    if "django_db" not in {m.name for m in request.node.iter_markers()} and not (
        {"db", "transactional_db"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("demo")
    from pandu.registry.models import StayRegistration

    StayRegistration.objects.filter(status="active").update(status="ended")


@pytest.fixture
def toronto(demo):
    return demo["toronto"]


@pytest.fixture
def ottawa(demo):
    return demo["ottawa"]


@pytest.fixture
def register(toronto):
    """``register(**kwargs)``: one registered citizen of Toronto (see ``factories``)."""

    def make(mission=None, **kwargs):
        [registration] = make_citizens(mission or toronto, 1, **kwargs)
        return registration

    return make


@pytest.fixture
def supervisor(demo):
    return User.objects.get(email="supervisor@toronto.pandu.test")


@pytest.fixture
def officer(demo):
    return User.objects.get(email="officer@toronto.pandu.test")


@pytest.fixture
def other_supervisor(demo):
    return User.objects.get(email="supervisor@ottawa.pandu.test")
