from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "pandu.people"
    label = "people"
    verbose_name = _("Orang")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pandu.people.roles import ensure_default_roles

        post_migrate.connect(ensure_default_roles, sender=self)
