"""Creating and revoking share links; publishing and withdrawing achievements."""

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Participant, Program
from mentorbadges.sharing.figures import Period
from mentorbadges.sharing.models import Publication, ShareLink
from mentorbadges.sharing.openbadges import (
    ACHIEVEMENT_CODES,
    hash_identity,
    new_salt,
)


class NoAddress(Exception):
    """The participant has no e-mail address to hash into an assertion."""

    def __str__(self) -> str:
        return (
            "An Open Badge names its recipient by e-mail address, and we have "
            "none for you. Ask your program to add one."
        )


def live_links(program: Program) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(program=program, revoked_at__isnull=True)


def share_summary(
    program: Program,
    user: User | None,
    period: Period,
    quote: Award | None = None,
    quote_names: bool = False,
) -> ShareLink:
    """Return the live link with these choices, made now if there is none."""
    same = live_links(program).filter(
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        quote=quote,
        quote_names=quote_names and quote is not None,
    )
    found = same.order_by("created_at", "pk").first()
    if found is not None:
        return found
    return ShareLink.objects.create(
        program=program,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        quote=quote,
        quote_names=quote_names and quote is not None,
        created_by=user,
    )


def revoke_share(link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def carried_achievements(participant: Participant) -> QuerySet[Award]:
    """Return the participant's standing achievements, newest first."""
    return (
        Award.objects.filter(
            recipient=participant,
            badge__in=ACHIEVEMENT_CODES,
            revoked_at__isnull=True,
        )
        .select_related("loop", "program")
        .order_by("-awarded_at", "-id")
    )


def recipient_address(participant: Participant) -> str:
    if participant.email:
        return participant.email
    if participant.user is not None and participant.user.email:
        return participant.user.email
    return ""


def live_publication(award: Award) -> Publication | None:
    return Publication.objects.filter(award=award, withdrawn_at__isnull=True).first()


def publish(award: Award) -> Publication:
    """Publish a standing achievement as an assertion; publishing twice is once."""
    existing = live_publication(award)
    if existing is not None:
        return existing

    address = recipient_address(award.recipient)
    if not address:
        raise NoAddress()

    salt = new_salt()
    try:
        with transaction.atomic():
            return Publication.objects.create(
                program_id=award.program_id,
                award=award,
                salt=salt,
                identity=hash_identity(address, salt),
            )
    except IntegrityError:
        # A second click raced the first; its publication is the one.
        found = live_publication(award)
        if found is None:
            raise
        return found


def withdraw(publication: Publication) -> None:
    Publication.objects.filter(pk=publication.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
