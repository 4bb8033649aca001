"""Fixtures for applications: the demo's Toronto staff, a citizen, files people upload."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pandu.applications import services
from pandu.applications.workflow import Event
from pandu.catalog.models import Service
from pandu.people.models import User


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(size=(60, 40), colour=(200, 180, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name="scan.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type)


@pytest.fixture
def officer(demo):
    return User.objects.get(email="officer@toronto.pandu.test")


@pytest.fixture
def supervisor(demo):
    return User.objects.get(email="supervisor@toronto.pandu.test")


@pytest.fixture
def head(demo):
    return User.objects.get(email="head@toronto.pandu.test")


@pytest.fixture
def ottawa_officer(demo):
    return User.objects.get(email="officer@ottawa.pandu.test")


@pytest.fixture
def renewal(demo):
    return Service.objects.get(mission=demo["toronto"], code="paspor-ganti")


@pytest.fixture
def ayu(citizen):
    return citizen.citizen


@pytest.fixture
def draft(ayu, renewal, citizen):
    return services.application_start(citizen=ayu, service=renewal, by=citizen)


def fill_renewal(application, user):
    """Answers and uploads a renewal needs, as the citizen would give them."""
    uploads = {
        r: upload(f"{r.pk}.png")
        for r in application.service.requirements.filter(uploadable=True, kind="document")
        if not r.optional  # the passport photo is optional (and a flat picture would fail it)
    }
    return services.application_save(
        application=application,
        by=user,
        answers={
            "surname": "Lestari",
            "given_names": "Ayu",
            "birth_place": "Jakarta",
            "sex": "F",
            "birth_date": dt.date(1990, 8, 17),
            "old_passport_number": "A1234567",
            "old_passport_expiry": dt.date(2027, 1, 31),
        },
        uploads=uploads,
    )


@pytest.fixture
def submitted(draft, citizen):
    fill_renewal(draft, citizen)
    return services.application_transition(application=draft, event=Event.SUBMIT, by=citizen)
