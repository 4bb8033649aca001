"""The reports app keeps no data of its own: every figure is read from the domain apps.

``Dashboard`` exists only to carry the ``reports.view_dashboard`` permission, which the default
roles give to supervisors and heads of mission (``people/roles.py``). It has no table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Dapat melihat dasbor dan laporan kinerja"))]
        verbose_name = _("dasbor kinerja")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
