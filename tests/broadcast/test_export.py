"""A citizen's data export holds the crisis messages sent to them and their answers."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from pandu.broadcast import services
from pandu.broadcast.models import Delivery
from pandu.people import export

from .factories import make_citizens
from .helpers import draft

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_message_the_answer_and_the_help_case(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    [mine] = make_citizens(toronto, 1, lat=43.66, lon=-79.39, language="en")
    [other] = make_citizens(toronto, 1, lat=43.66, lon=-79.39)
    broadcast = draft(toronto, supervisor, km=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    delivery = Delivery.objects.get(broadcast=broadcast, citizen=mine.citizen)
    services.reply_record(delivery=delivery, answer="help", note="Rumah terendam")

    built = export.export_build(user=mine.citizen.user)
    files = zipfile.ZipFile(io.BytesIO(built.content))
    [record] = json.loads(files.read("crisis_messages.json"))
    assert record["subject"] == "Flood warning" and record["status"] == "sent"
    assert record["replies"][0]["note"] == "Rumah terendam"
    assert record["help"]["status"] == "open"
    assert str(other.citizen.public_id) not in files.read("crisis_messages.json").decode()
