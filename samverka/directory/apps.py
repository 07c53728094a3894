from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "samverka.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from samverka.directory import permissions  # noqa: F401  (registers rules)
