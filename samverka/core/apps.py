from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverka.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from samverka.core import checks, lookups  # noqa: F401  (register checks, field__any)

        # The empty choice of every select: Django's "- Select an option -" has no
        # Swedish or Norwegian translation, so it is ours (and plainer).
        fields.BLANK_CHOICE_LABEL = _("Choose…")
