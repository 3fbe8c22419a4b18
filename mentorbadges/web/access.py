"""Who may see what: staff see their programs, participants their own.

A program the user has no part in answers 404, so its existence is not told.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest

from mentorbadges.programs.models import Participant, Program, StaffRole


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as one program sees them."""

    program: Program
    staff_role: str
    participant: Participant | None

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_role)


def participant_of(user: User | AnonymousUser) -> Participant | None:
    if not user.is_authenticated:
        return None
    try:
        participant: Participant = user.participant
    except Participant.DoesNotExist:
        return None
    return participant if participant.erased_at is None else None


def staff_programs(user: User | AnonymousUser) -> list[Program]:
    if not user.is_authenticated:
        return []
    return list(
        Program.objects.filter(staffrole__user=user).order_by("name", "slug").distinct()
    )


def viewer(request: HttpRequest, slug: str) -> Viewer:
    """Return how the user relates to the program, or raise 404 if not at all."""
    user = request.user
    program = Program.objects.filter(slug=slug).first()
    if program is None or not user.is_authenticated:
        raise Http404("No such program.")

    role = (
        StaffRole.objects.filter(program=program, user=user)
        .values_list("role", flat=True)
        .first()
    )
    participant = participant_of(user)
    if participant is not None and participant.program_id != program.pk:
        participant = None
    if not role and participant is None:
        raise Http404("No such program.")
    return Viewer(program, role or "", participant)


def staff_viewer(request: HttpRequest, slug: str) -> Viewer:
    found = viewer(request, slug)
    if not found.is_staff:
        raise Http404("No such page.")
    return found


def is_program_staff(user_id: int | None, program: Program) -> bool:
    if user_id is None:
        return False
    return StaffRole.objects.filter(program=program, user_id=user_id).exists()


def admin_viewer(request: HttpRequest, slug: str) -> Viewer:
    """Return the viewer when they are the program's admin; 404 for anyone else."""
    found = staff_viewer(request, slug)
    if found.staff_role != StaffRole.ADMIN:
        raise Http404("No such page.")
    return found
