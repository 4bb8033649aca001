"""The site as production serves it, plus one bare view for the booking rush to compare with.

``DJANGO_SETTINGS_MODULE=bench_settings`` (with ``bench/`` on the path) runs Pandu's own
settings with this module as the URL configuration: every page and endpoint of Pandu, and
``POST /bench/bare-book``, a view that does only what a booking must do in the database (the
conditional UPDATE of the seat and the INSERT of the appointment) behind the same middleware.
It exists to measure the cost of everything else; it checks nothing and is never deployed.
"""

from __future__ import annotations

import json
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from pandu.appointments.models import Appointment, Slot
from pandu.urls import urlpatterns as pandu_urlpatterns


@csrf_exempt
def bare_book(request):
    body = json.loads(request.body)
    with transaction.atomic():
        taken = Slot.objects.filter(pk=body["slot_id"], booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        )
        if not taken:
            return JsonResponse({"code": "slot_full"}, status=409)
        try:
            with transaction.atomic(savepoint=False):
                Appointment.objects.create(
                    reference=f"BR-{secrets.token_hex(5).upper()}",
                    mission_id=body["mission_id"],
                    slot_id=body["slot_id"],
                    service_id=body["service_id"],
                    citizen_id=body["citizen_id"],
                    identity_key=body["key"],
                )
        except IntegrityError:
            transaction.set_rollback(True)
            return JsonResponse({"code": "already_booked"}, status=409)
    return JsonResponse({"status": "booked"}, status=201)


urlpatterns = [path("bench/bare-book", bare_book), *pandu_urlpatterns]
