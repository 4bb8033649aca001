from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "pandu.people"
    label = "people"
    verbose_name = _("Orang")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pandu.core import admin_mixins
        from pandu.people.backends import missions_for
        from pandu.people.roles import ensure_default_roles

        post_migrate.connect(ensure_default_roles, sender=self)
        # The admin pages narrow their lists to the missions where the user holds the permission.
        admin_mixins.missions_for_register(missions_for)
