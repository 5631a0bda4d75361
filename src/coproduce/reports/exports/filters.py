"""The export filter: phase, provider, ward and dates."""

from dataclasses import dataclass
from datetime import date

from coproduce.programme.models import Phase, Provider

CHUNK = 2000


@dataclass(frozen=True)
class ExportFilter:
    """Which phase (and so which dates) and, optionally, which provider an export covers."""

    phase: Phase | None = None
    provider: Provider | None = None

    @property
    def starts_on(self) -> date | None:
        return self.phase.starts_on if self.phase else None

    @property
    def ends_on(self) -> date | None:
        return self.phase.ends_on if self.phase else None

    def dated(self, queryset, field_name: str):
        """Keep records whose ``field_name`` falls within the phase (all dates if none)."""
        if self.starts_on:
            queryset = queryset.filter(**{f"{field_name}__gte": self.starts_on})
        if self.ends_on:
            queryset = queryset.filter(**{f"{field_name}__lte": self.ends_on})
        return queryset

    def of_provider(self, queryset, field_name: str):
        if self.provider is None:
            return queryset
        return queryset.filter(**{field_name: self.provider.pk})

    @property
    def period_words(self) -> str:
        if self.phase is None:
            return "all dates"
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"

    def filename(self, name: str, extension: str) -> str:
        """A safe file name, like coproduce-coaching-log-2024-07-01-to-2025-03-31.csv."""
        parts = ["coproduce", name]
        if self.provider is not None:
            parts.append(_safe(self.provider.ods_code))
        if self.phase is not None:
            parts.append(f"{self.starts_on.isoformat()}-to-{self.ends_on.isoformat()}")
        else:
            parts.append("all-dates")
        return "-".join(parts) + "." + extension


def _safe(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum()) or "provider"


def default_phase(today: date, phases: list[Phase] | None = None) -> Phase | None:
    """The phase running today, or else the latest to have started (or the first ever)."""
    if phases is None:
        phases = list(Phase.objects.order_by("starts_on", "pk"))
    phases = sorted(phases, key=lambda p: (p.starts_on, p.pk))
    for phase in phases:
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    started = [p for p in phases if p.starts_on <= today]
    if started:
        return started[-1]
    return phases[0] if phases else None
