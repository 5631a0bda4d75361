"""What a dashboard or report covers: a phase, a set of providers and wards, a period."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from coproduce.programme.models import Phase, Provider, Ward


@dataclass
class Scope:
    """The providers and wards a page reports on, already limited to what the viewer may see."""

    title: str
    providers: list
    wards: list
    phase: Phase | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    provider: Provider | None = None
    ward_ids: set = field(default_factory=set)
    provider_ids: set = field(default_factory=set)
    user: object = None

    def __post_init__(self):
        self.ward_ids = {w.id for w in self.wards}
        self.provider_ids = {p.id for p in self.providers}

    def records(self, model):
        """The records of ``model`` this report covers, among those the viewer may see.

        Every section of a dashboard or board report starts here, so the report never
        shows more than the scoping layer does (a ward member sees no provider-level
        record, and no other ward's)."""
        return model.objects.visible_to(self.user).in_places(self.provider_ids, self.ward_ids)


def programme_scope(user, phase: Phase | None, starts_on=None, ends_on=None) -> Scope:
    wards = Ward.objects.visible_to(user).select_related("provider")
    if phase is not None:
        wards = wards.filter(enrolments__phase=phase)
    wards = list(wards.order_by("provider__name", "name").distinct())
    provider_ids = {w.provider_id for w in wards}
    providers = Provider.objects.visible_to(user)
    if phase is not None:
        providers = providers.filter(id__in=provider_ids)
    else:  # the whole programme: every provider in reach, with its wards or with none yet
        providers = providers.filter(Q(id__in=provider_ids) | Q(wards__isnull=True)).distinct()
    return Scope(
        title=f"{phase.name} phase" if phase else "Whole programme",
        providers=list(providers.order_by("name")),
        wards=wards,
        phase=phase,
        starts_on=starts_on or (phase.starts_on if phase else None),
        ends_on=ends_on or (phase.ends_on if phase else None),
        user=user,
    )


def provider_scope(user, provider: Provider, starts_on=None, ends_on=None) -> Scope:
    wards = list(
        Ward.objects.visible_to(user)
        .filter(provider=provider)
        .select_related("provider")
        .order_by("name")
    )
    return Scope(
        title=provider.name,
        providers=[provider],
        wards=wards,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        user=user,
    )
