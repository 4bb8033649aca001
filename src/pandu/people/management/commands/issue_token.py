"""``pandu issue_token EMAIL``: create a personal access token and print it on the last line."""

from django.core.management.base import BaseCommand, CommandError

from pandu.core.errors import PanduError
from pandu.people.models import User
from pandu.people.services import token_issue


class Command(BaseCommand):
    help = "Issues a personal API access token for EMAIL; the token is printed once, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="a label to recognise the token by")

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email!r}.")
        try:
            issued = token_issue(user=user, name=name or "command line")
        except PanduError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Token for {user.email} (shown once; only its hash is stored):")
        self.stdout.write(issued.token)
