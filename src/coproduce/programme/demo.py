"""The fictional demo programme: providers, wards, phases and a person for every role.

Every name here is made up. Providers carry "(fictional)" in their names and the
programme is flagged ``is_fictional`` so every page says so.
"""

from datetime import date, timedelta

from coproduce.accounts.models import User

from .models import Enrolment, Membership, Phase, Programme, Provider, ProviderKind, Role, Ward

DEMO_PASSWORD = "demo-only-fictional-2026"  # noqa: S105 - printed for local demo sign-in only

PROVIDERS = [
    # name, kind, ODS-style code (made up), region
    (
        "Northvale NHS Foundation Trust (fictional)",
        ProviderKind.NHS_TRUST,
        "TZA",
        "North East and Yorkshire",
    ),
    ("Riverside Mental Health NHS Trust (fictional)", ProviderKind.NHS_TRUST, "TZB", "London"),
    ("Westmoor Partnership NHS Trust (fictional)", ProviderKind.NHS_TRUST, "TZC", "South West"),
    ("Eastbrook Care NHS Trust (fictional)", ProviderKind.NHS_TRUST, "TZD", "Midlands"),
    ("Harbour Light Hospitals (fictional)", ProviderKind.INDEPENDENT, "NZX01", "North West"),
    ("Meadowbank Healthcare (fictional)", ProviderKind.INDEPENDENT, "NZX02", "East of England"),
]

WARDS = [
    # provider index, name, service type, beds, phases (0 pilot, 1 wider)
    (0, "Willow Ward", "adult_acute", 18, (0, 1)),
    (0, "Birch Ward", "picu", 10, (0, 1)),
    (0, "Rowan House", "lda", 8, (1,)),
    (1, "Thames Ward", "adult_acute", 20, (0, 1)),
    (1, "Kestrel Unit", "cyp_gau", 12, (1,)),
    (2, "Heather Ward", "older_adult", 16, (0,)),
    (2, "Moorland Lodge", "secure_low", 14, (1,)),
    (3, "Cedar Ward", "adult_acute", 18, (1,)),
    (3, "Falcon Unit", "cyp_picu", 8, (1,)),
    (4, "Lighthouse Ward", "secure_medium", 15, (0, 1)),
    (4, "Anchor Ward", "lda", 10, (1,)),
    (5, "Meadow Ward", "secure_high", 12, (1,)),
    (5, "Orchard Ward", "picu", 10, (1,)),
]

PEOPLE = [
    # e-mail, full name, role, provider index or None, ward name or None
    ("admin@example.org", "Morgan Ashby", Role.PROGRAMME_ADMIN, None, None),
    ("coach@example.org", "Priya Lakeman", Role.COACH, 0, None),
    ("coach@example.org", "Priya Lakeman", Role.COACH, None, "Thames Ward"),
    ("lead@example.org", "Daniel Okafor-Reid", Role.PROVIDER_LEAD, 0, None),
    ("ward@example.org", "Sam Whitfield", Role.WARD_TEAM_MEMBER, None, "Willow Ward"),
    ("partner@example.org", "Jo Adeyemi", Role.LIVED_EXPERIENCE_PARTNER, None, "Willow Ward"),
    ("partner@example.org", "Jo Adeyemi", Role.LIVED_EXPERIENCE_PARTNER, None, "Birch Ward"),
    ("observer@example.org", "Chris Penrose", Role.OBSERVER, 0, None),
    ("lead.riverside@example.org", "Amara Conteh", Role.PROVIDER_LEAD, 1, None),
    ("ward.thames@example.org", "Lee Marston", Role.WARD_TEAM_MEMBER, None, "Thames Ward"),
]


def is_loaded() -> bool:
    return Programme.objects.exists()


def load(context: dict) -> None:
    programme = Programme.objects.create(
        name="Mental Health Act quality improvement programme (fictional demo)",
        summary=(
            "Coaching inpatient wards to improve equity of experience for people from "
            "ethnically diverse backgrounds, people with a learning disability and autistic "
            "people, co-produced with people who have been detained and with carers. "
            "Everything in this demo is fictional."
        ),
        is_fictional=True,
    )
    # Dated around today, so the demo's dashboards and exports have a phase that is running.
    today = date.today()
    phases = [
        Phase.objects.create(
            programme=programme,
            name="Pilot",
            starts_on=today - timedelta(days=730),
            ends_on=today - timedelta(days=430),
        ),
        Phase.objects.create(
            programme=programme,
            name="Wider implementation",
            starts_on=today - timedelta(days=380),
            ends_on=today + timedelta(days=120),
        ),
    ]
    providers = [
        Provider.objects.create(programme=programme, name=n, kind=k, ods_code=c, region=r)
        for n, k, c, r in PROVIDERS
    ]
    wards = {}
    for p, name, service, beds, in_phases in WARDS:
        ward = Ward.objects.create(
            provider=providers[p], name=name, service_type=service, beds=beds
        )
        for i in in_phases:
            Enrolment.objects.create(ward=ward, phase=phases[i], enrolled_on=phases[i].starts_on)
        wards[name] = ward
    users = {}
    for email, full_name, role, p, ward_name in PEOPLE:
        user = users.get(email)
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
            if role == Role.PROGRAMME_ADMIN:
                user.is_staff = True
                user.is_superuser = True
                user.save()
            users[email] = user
        ward = wards.get(ward_name) if ward_name else None
        Membership.objects.create(
            user=user,
            role=role,
            provider=providers[p] if p is not None else (ward.provider if ward else None),
            ward=ward,
        )
    context.update(
        programme=programme, phases=phases, providers=providers, wards=wards, users=users
    )


def sign_ins() -> list[tuple[str, str]]:
    seen = {}
    for email, _name, role, p, ward_name in PEOPLE:
        where = ward_name or (PROVIDERS[p][0] if p is not None else "whole programme")
        seen.setdefault(email, f"{Role(role).label} – {where}")
    return list(seen.items())
