from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BroadcastConfig(AppConfig):
    name = "pandu.broadcast"
    label = "broadcast"
    verbose_name = _("Pesan krisis")
