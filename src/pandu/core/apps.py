from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pandu.core"
    label = "core"
    verbose_name = _("Perwakilan")

    def ready(self) -> None:
        from pandu.core import checks  # noqa: F401  (registers the checks)
