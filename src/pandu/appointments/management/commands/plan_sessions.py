"""``pandu plan_sessions MISSION [--from DATE] [--days N]``: plan weekday and Saturday sessions."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pandu.appointments.services import sessions_generate
from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.models import Mission


class Command(BaseCommand):
    help = "Plans the sessions (and their slots) of a mission from its opening hours and Saturday rules."

    def add_arguments(self, parser):
        parser.add_argument("mission", help="the mission's slug, e.g. toronto")
        parser.add_argument("--from", dest="start", help="first date, YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, default=60, help="how many days (default 60)")

    def handle(self, *args, mission: str, start: str | None, days: int, **options):
        found = Mission.objects.filter(slug=mission).first()
        if found is None:
            raise CommandError(f"No mission with the slug {mission!r}.")
        try:
            first = dt.date.fromisoformat(start) if start else clock.today(found)
        except ValueError as exc:
            raise CommandError("--from must be a date written YYYY-MM-DD.") from exc
        if not 1 <= days <= 400:
            raise CommandError("--days must be between 1 and 400.")
        try:
            created = sessions_generate(
                mission=found, start=first, end=first + dt.timedelta(days=days - 1)
            )
        except PanduError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{created} sessions planned for {found.slug} from {first} ({days} days)."
        )
