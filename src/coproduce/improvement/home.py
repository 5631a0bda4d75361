"""Home page panels for ward team members and partners: figures due, open cycles, signals."""

from datetime import date

from coproduce.core.scoping import Permission
from coproduce.programme.models import Membership, Role

from . import services
from .models import PDSACycle, WardMeasure, previous_period

WARD_ROLES = (Role.WARD_TEAM_MEMBER, Role.LIVED_EXPERIENCE_PARTNER)
MAX_WARDS = 3


def panels(request, access) -> list[dict]:
    if not access.authenticated or not access.ward_ids:
        return []
    wards = [
        m.ward
        for m in Membership.objects.filter(
            user=request.user, role__in=WARD_ROLES, ward__isnull=False
        )
        .select_related("ward", "ward__provider")
        .order_by("ward__name")
    ]
    wards = list({w.id: w for w in wards}.values())[:MAX_WARDS]
    if not wards:
        return []
    wms = WardMeasure.objects.filter(ward__in=wards).select_related(
        "measure", "ward", "ward__provider"
    )
    readings = services.readings_for(wms)
    cycles = list(
        PDSACycle.objects.filter(change_idea__project__ward__in=wards, act="")
        .select_related("change_idea", "change_idea__project")
        .order_by("start_date")
    )
    today = date.today()
    out = []
    for i, ward in enumerate(wards):
        mine = [r for r in readings if r.ward_measure.ward_id == ward.id]
        due = [
            r.ward_measure
            for r in mine
            if r.ward_measure.active
            and (
                r.latest_period is None
                or r.latest_period < previous_period(r.ward_measure.measure.frequency, today)
            )
        ]
        out.append(
            {
                "template": "improvement/home_panel.html",
                "order": 20 + i,
                "ward": ward,
                "due": due,
                "measure_count": sum(1 for r in mine if r.ward_measure.active),
                "cycles": [c for c in cycles if c.change_idea.project.ward_id == ward.id][:8],
                "signals": [r for r in mine if r.has_signal][:8],
                "can_edit": access.has(Permission.EDIT_WORK, ward.provider_id, ward.id),
            }
        )
    return out
