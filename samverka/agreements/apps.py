# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "samverka.agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from samverka.agreements import permissions  # noqa: F401  (registers the rules)
