# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samverka.accounts.languages import recipient_languages
from samverka.accounts.models import Membership
from samverka.partnerships.models import PartnershipMember
from samverka.partnerships.permissions import ACTING_ROLES


def invitation_recipients(member: PartnershipMember) -> dict[str, str]:
    """{address: language}: the entry door the invitation went through, the named
    person, and the organisation's coordinators and administrators, each in the
    language they chose, else that of the organisation's country."""
    addresses = [member.contact_email]
    if member.entry_door is not None:
        addresses.append(member.entry_door.email)
    addresses += Membership.objects.filter(
        organisation=member.organisation, role__in=ACTING_ROLES, user__is_active=True
    ).values_list("user__email", flat=True)
    return recipient_languages(addresses, member.organisation.country)


@task
def send_partnership_invitation(*, member_id: int) -> int:
    member = PartnershipMember.objects.select_related(
        "organisation", "partnership", "entry_door"
    ).get(pk=member_id)
    partnership = member.partnership
    lead = (
        partnership.members.filter(role="lead", status="active")
        .select_related("organisation")
        .first()
    )
    url = settings.SITE_URL + reverse("partnerships:partnership", args=[partnership.pk])
    sent = 0
    for address, language in invitation_recipients(member).items():
        with translation.override(language):
            context = {
                "member": member,
                "partnership": partnership,
                "door": member.entry_door,
                "lead": lead.organisation.name if lead else "",
                "url": url,
            }
            subject = render_to_string("emails/partnership_invitation_subject.txt", context)
            body = render_to_string("emails/partnership_invitation.txt", context)
        sent += send_mail(subject.strip(), body, None, [address])
    return sent
