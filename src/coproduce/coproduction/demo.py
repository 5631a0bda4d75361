"""Fictional co-production demo data: payment rates, two self-assessment rounds with made-up
answers, involvement with "you said, we did", a partner profile and claims in every state.

Everything here is made up. The rates are illustrative, not anyone's policy.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .instrument import STATEMENTS
from .models import (
    Action,
    Answer,
    AssessmentResponse,
    AssessmentRound,
    Involvement,
    InvolvementPartner,
    PartnerCharacteristic,
    PartnerProfile,
    PaymentClaim,
    PaymentRate,
    hash_key,
)
from .services import PAYMENT_NOTICE, consent_wording, new_draft_key

SEED = 20240701

# perspective: (number of people, typical 'as is', typical 'to be') per round.
BASELINE = {
    "lived_experience": (6, 2, 6),
    "carer": (3, 2, 6),
    "le_practitioner": (2, 3, 7),
    "ward_staff": (8, 4, 6),
    "leader": (5, 5, 6),
}
MID_POINT = {
    "lived_experience": (7, 3, 7),
    "carer": (2, 3, 6),
    "le_practitioner": (1, 4, 7),
    "ward_staff": (9, 5, 7),
    "leader": (5, 5, 7),
}

COMMENTS = [
    "We were asked once, then never heard back. (Fictional comment.)",
    "The community meeting has got better since the new chair. (Fictional comment.)",
    "Easy read papers would help a lot. (Fictional comment.)",
]

INVOLVEMENTS = [
    # ward, days ago, stage, activity, title, rung, hours, counts, adjustments, you said,
    # outcome, we did / why not, partner named
    (
        "Willow Ward",
        160,
        "design",
        "workshop",
        "Designing a welcome pack with patients",
        7,
        "3",
        (3, 1, 0, 4, 1),
        ["easy_read", "breaks"],
        "The first day on the ward is frightening and nobody explains your rights.",
        "changed",
        "A welcome pack written with patients, in easy read, given on the first day.",
        True,
    ),
    (
        "Willow Ward",
        120,
        "development",
        "document_review",
        "Reviewing the seclusion policy",
        6,
        "2",
        (1, 0, 0, 2, 1),
        ["easy_read"],
        "The policy does not say how staff will check on someone's wellbeing.",
        "partly",
        "A wellbeing check was added; the timing is still being agreed.",
        True,
    ),
    (
        "Willow Ward",
        75,
        "delivery",
        "training",
        "Co-facilitated training on the Act's principles",
        7,
        "4",
        (0, 0, 0, 12, 1),
        ["travel", "breaks"],
        "Staff should hear from people who have been detained, not only from lawyers.",
        "changed",
        "Every new starter now has a session led with a partner.",
        False,
    ),
    (
        "Willow Ward",
        40,
        "evaluation",
        "interview_panel",
        "Interview panel for the ward manager",
        5,
        "5",
        (1, 0, 0, 2, 2),
        ["interpreter"],
        "We want a manager who explains decisions to patients.",
        "not_changed",
        "The post was filled by a national process the trust could not change this "
        "time; the panel's questions will be used next time.",
        True,
    ),
    (
        "Birch Ward",
        30,
        "design",
        "steering_group",
        "Steering group: choosing the PICU's first project",
        6,
        "2",
        (2, 1, 0, 3, 1),
        ["breaks"],
        "Restraint is the thing people remember most.",
        "waiting",
        "",
        True,
    ),
]

CLAIM_STATES = [
    # index into INVOLVEMENTS, status, days since claimed, days since approved, paid days ago
    (0, "paid", 150, 140, 130),
    (1, "approved", 110, 60, None),
    (3, "claimed", 38, None, None),
    (4, "claimed", 3, None, None),
]


def _responses(round_obj, plan, rng, submitted_on):
    for perspective, (count, as_is, to_be) in plan.items():
        for _ in range(count):
            response = AssessmentResponse.objects.create(
                round=round_obj,
                perspective=perspective,
                draft_key_hash=hash_key(new_draft_key()),
                easy_read=perspective in ("lived_experience", "carer") and rng.random() < 0.5,
                started_on=submitted_on,
                submitted_on=submitted_on,
            )
            Answer.objects.bulk_create(
                [
                    Answer(
                        response=response,
                        statement=s.key,
                        as_is=max(1, min(7, as_is + rng.choice((-1, 0, 0, 1)))),
                        to_be=max(1, min(7, to_be + rng.choice((-1, 0, 0, 1)))),
                        comment=rng.choice(COMMENTS) if rng.random() < 0.04 else "",
                    )
                    for s in STATEMENTS
                ]
            )


def load(context: dict) -> None:
    wards = context.get("wards", {})
    users = context.get("users", {})
    willow = wards.get("Willow Ward")
    if willow is None:
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    admin = users.get("admin@example.org")
    partner = users.get("partner@example.org")

    rates = {}
    for kind, amount, valid_from, more_than in [
        ("hourly", "25.00", date(2024, 4, 1), None),
        ("half_day", "90.00", date(2024, 4, 1), "2.5"),
        ("full_day", "170.00", date(2024, 4, 1), "5"),
        ("hourly", "27.50", date(2025, 4, 1), None),
    ]:
        rates[(kind, valid_from)] = PaymentRate.objects.create(
            kind=kind,
            amount=Decimal(amount),
            valid_from=valid_from,
            more_than_hours=Decimal(more_than) if more_than else None,
            set_by=admin,
        )

    baseline = AssessmentRound.objects.create(
        provider=willow.provider,
        ward=willow,
        kind="baseline",
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
        closed_at=timezone.now() - timedelta(days=170),
        closed_by=admin,
        created_by=admin,
    )
    _responses(baseline, BASELINE, rng, today - timedelta(days=185))
    mid = AssessmentRound.objects.create(
        provider=willow.provider,
        ward=willow,
        kind="mid_point",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=30),
        created_by=admin,
    )
    _responses(mid, MID_POINT, rng, today - timedelta(days=5))
    Action.objects.create(
        round=baseline,
        domain="process",
        owner="Ward manager (fictional)",
        description="Tell people what happened to their ideas at every community meeting.",
        due_on=today - timedelta(days=90),
        status="done",
        reviewed_in=mid,
        reviewed_at=timezone.now() - timedelta(days=4),
        review_note="Now a standing item; patients say they notice it. (Fictional.)",
    )
    Action.objects.create(
        round=baseline,
        domain="presence",
        owner="Lived experience lead (fictional)",
        description="Invite carers from Black African and Caribbean communities to the steering "
        "group, with travel paid.",
        due_on=today + timedelta(days=30),
        status="in_progress",
    )
    Action.objects.create(
        round=mid,
        domain="impact",
        owner="Executive sponsor (fictional)",
        description="Report the co-production profile to the board every quarter.",
        due_on=today + timedelta(days=60),
    )

    project = None
    try:
        from coproduce.improvement.models import Project

        project = Project.objects.filter(ward=willow).first()
    except ImportError:
        project = None

    involvements = []
    for (
        ward_name,
        days_ago,
        stage,
        activity,
        title,
        rung,
        hours,
        counts,
        adjustments,
        said,
        outcome,
        did,
        named,
    ) in INVOLVEMENTS:
        ward = wards[ward_name]
        involvement = Involvement.objects.create(
            provider=ward.provider,
            ward=ward,
            project=project if ward == willow else None,
            occurred_on=today - timedelta(days=days_ago),
            stage=stage,
            activity=activity,
            title=title + " (fictional)",
            rung=rung,
            hours=Decimal(hours),
            lived_experience_count=counts[0],
            carer_count=counts[1],
            practitioner_count=counts[2],
            staff_count=counts[3],
            leader_count=counts[4],
            adjustments=adjustments,
            you_said=said,
            outcome=outcome,
            we_did=did if outcome in ("changed", "partly") else "",
            why_not=did if outcome == "not_changed" else "",
            logged_by=partner or admin,
        )
        if partner is not None:
            InvolvementPartner.objects.create(involvement=involvement, user=partner, named=named)
        involvements.append(involvement)

    if partner is None:
        return
    profile = PartnerProfile.objects.create(
        user=partner,
        perspective="le_practitioner",
        named_by_default=True,
        share_about=True,
        about="Fictional partner. Was detained on an acute ward some years ago; now co-leads "
        "training and sits on the steering group.",
        interests="Care plans written with the person; training new staff.",
    )
    PartnerCharacteristic.objects.create(
        profile=profile,
        kind="carer",
        value="yes",
        consent_given_at=timezone.now(),
        consent_wording=consent_wording("Carer"),
    )
    now = timezone.now()
    for index, status, claimed, approved, paid in CLAIM_STATES:
        involvement = involvements[index]
        option_rate = PaymentRate.current("hourly", involvement.occurred_on)
        PaymentClaim.objects.create(
            involvement=involvement,
            partner=partner,
            rate=option_rate,
            units=involvement.hours,
            amount=PaymentClaim.price(option_rate, involvement.hours),
            status=status,
            notice_acknowledged_at=now - timedelta(days=claimed),
            notice_wording=PAYMENT_NOTICE,
            claimed_at=now - timedelta(days=claimed),
            approved_at=now - timedelta(days=approved) if approved else None,
            approved_by=admin if approved else None,
            paid_on=today - timedelta(days=paid) if paid else None,
            paid_recorded_at=now - timedelta(days=paid) if paid else None,
            paid_by=admin if paid else None,
        )
    context["coproduction"] = {"rounds": [baseline, mid], "involvements": involvements}
