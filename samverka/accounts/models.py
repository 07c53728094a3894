# SPDX-License-Identifier: AGPL-3.0-or-later
import hashlib
import secrets
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with e-mail; belongs to organisations through Membership."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        # The name fields come from AbstractUser: checked here rather than as
        # field validators (core.text). Names end up in e-mail headers.
        from samverka.core.text import single_line

        super().clean()
        errors = {}
        for name in ("first_name", "last_name"):
            try:
                single_line(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)

    def roles(self) -> dict[int, str]:
        """{organisation id: role} for this user, fetched once per request."""
        if not hasattr(self, "_roles"):
            self._roles = dict(self.memberships.values_list("organisation_id", "role"))
        return self._roles


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """A person's role in an organisation."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation with a role.

    Only a hash of the token is stored; the raw token is in the e-mailed link.
    """

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash(raw)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash(raw)

    def make_token(self) -> str:
        """The raw token: an HMAC of this saved invitation under the SECRET_KEY.
        The e-mail task makes the link from the invitation's id, so the task
        queue holds nothing that opens the invitation."""
        created = self.created_at.astimezone(UTC).isoformat()
        return salted_hmac(
            "samverka.accounts.Invitation.token",
            f"{self.pk}:{self.email}:{created}",
            algorithm="sha256",
        ).hexdigest()

    @classmethod
    def find(cls, raw_token: str) -> "Invitation | None":
        return (
            cls.objects.select_related("organisation").filter(token_hash=_hash(raw_token)).first()
        )

    @staticmethod
    def default_expiry() -> Any:
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()

    def is_for(self, user: Any) -> bool:
        """Only the invited address may accept (addresses are stored in lower case)."""
        return str(user.email).lower() == self.email.lower()


class ApiToken(models.Model):
    """A personal API token. Acts as its owner; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def new_key(cls) -> tuple[str, str, str]:
        raw = "sv_" + secrets.token_urlsafe(32)
        return raw, raw[:10], _hash(raw)

    @classmethod
    def user_for_key(cls, raw_key: str) -> User | None:
        token = cls.objects.select_related("user").filter(key_hash=_hash(raw_key)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            # Write at most every few minutes so token reads stay cheap.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class LoginThrottle(models.Model):
    """Failed logins counted per client address, and per account and address.

    One row per failing address and one per (existing account, address): a name
    that is no account adds nothing beyond its address's row, so the table grows
    only with the addresses that fail; rows are purged a day after their last
    failure. The key is "a <address>" or "u <user id> <address>".
    """

    key = models.CharField(max_length=80, unique=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
