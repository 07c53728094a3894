from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "samverka.partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from samverka.directory import matching
        from samverka.partnerships import permissions  # noqa: F401  (registers rules)
        from samverka.partnerships.services import partnership_counts

        # Partner matching boosts organisations in few partnerships.
        matching.set_partnership_counter(partnership_counts)
