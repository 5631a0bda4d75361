"""The co-production self-assessment: the ladder, the 4Pi domains, perspectives and statements.

Written for this programme in plain English. Each statement has a standard wording and an
easy-read wording (short sentences, one idea). Answers store the statement's key, so a
later version of the instrument can add statements without changing old answers.
"""

from dataclasses import dataclass

from django.db import models


class Rung(models.IntegerChoices):
    COERCION = 1, "Coercion"
    EDUCATING = 2, "Educating"
    INFORMING = 3, "Informing"
    CONSULTATION = 4, "Consultation"
    ENGAGEMENT = 5, "Engagement"
    CO_DESIGN = 6, "Co-design"
    CO_PRODUCTION = 7, "Co-production"


RUNG_MEANINGS = {
    1: "People attend but are passive. Nobody asks for their views.",
    2: "People are helped to understand how services work.",
    3: "People are told about decisions that have already been made.",
    4: "People are asked for their views, but have no power to change things.",
    5: "People have more chances to give views and some influence, within limits the service sets.",
    6: "People help design things and have real influence, but are not part of seeing it through.",
    7: "An equal relationship from design to delivery, with decisions made together.",
}

RUNG_GROUPS = {
    1: "doing to",
    2: "doing to",
    3: "doing for",
    4: "doing for",
    5: "doing for",
    6: "doing with",
    7: "doing with",
}

# Easy read: a short phrase and one short sentence for each rung.
RUNG_EASY = {
    1: ("Not asked", "Things are done to us. Nobody asks us."),
    2: ("Taught", "Staff teach us how things work."),
    3: ("Told", "Staff tell us what they have decided."),
    4: ("Asked", "Staff ask what we think. Nothing has to change."),
    5: ("Listened to", "What we say changes some things."),
    6: ("Plan together", "We help plan things. We have a real say."),
    7: ("Do it together", "We plan it and do it together, as equals."),
}

CO_DESIGN_OR_ABOVE = 6


def rung_words(value) -> str:
    """Words for a rung, or for a median between two rungs."""
    if value is None:
        return "not known"
    if float(value).is_integer():
        return Rung(int(value)).label
    low, high = int(value), int(value) + 1
    return f"between {Rung(low).label} and {Rung(high).label}"


class Domain(models.TextChoices):
    PRINCIPLES = "principles", "Principles"
    PURPOSE = "purpose", "Purpose"
    PRESENCE = "presence", "Presence"
    PROCESS = "process", "Process"
    IMPACT = "impact", "Impact"


DOMAIN_HINTS = {
    "principles": "The values behind involving people.",
    "purpose": "Why people with lived experience are involved.",
    "presence": "Who is involved, and who is missing.",
    "process": "How involvement happens: plans, timing, feedback and accountability.",
    "impact": "The difference involvement makes, and how we know.",
}

DOMAIN_EASY = {
    "principles": "What we believe",
    "purpose": "Why we take part",
    "presence": "Who takes part",
    "process": "How we take part",
    "impact": "What changes",
}


class Perspective(models.TextChoices):
    LIVED_EXPERIENCE = "lived_experience", "Person with lived experience of detention"
    CARER = "carer", "Carer"
    PRACTITIONER = "le_practitioner", "Lived experience practitioner"
    WARD_STAFF = "ward_staff", "Ward staff"
    LEADER = "leader", "Leader"


PERSPECTIVE_EASY = {
    "lived_experience": "I am or was a patient on a ward",
    "carer": "I care for someone who is or was on a ward",
    "le_practitioner": "I work here and have been a patient myself",
    "ward_staff": "I work on the ward",
    "leader": "I am a leader or manager",
}

LIVED_SIDE = ("lived_experience", "carer", "le_practitioner")
STAFF_SIDE = ("ward_staff", "leader")


@dataclass(frozen=True)
class Statement:
    key: str
    domain: str
    text: str
    easy: str


STATEMENTS = [
    Statement(
        "principles-1",
        "principles",
        "People with lived experience are treated as equals in how the ward plans its work.",
        "Staff treat us as equals.",
    ),
    Statement(
        "principles-2",
        "principles",
        "The ward is open about what it can and cannot change, and why.",
        "Staff are honest about what can change.",
    ),
    Statement(
        "principles-3",
        "principles",
        "People's time and expertise are valued, including by paying them fairly.",
        "Our time is valued. We are paid fairly.",
    ),
    Statement(
        "purpose-1",
        "purpose",
        "It is clear why people with lived experience are being involved in each piece of work.",
        "We know why we are asked to help.",
    ),
    Statement(
        "purpose-2",
        "purpose",
        "Involvement is used to change things, not only to tick a box.",
        "Taking part is to change things. It is not just a box to tick.",
    ),
    Statement(
        "purpose-3",
        "purpose",
        "People with lived experience help decide what the ward should improve first.",
        "We help choose what to make better first.",
    ),
    Statement(
        "presence-1",
        "presence",
        "People from ethnically diverse backgrounds are involved, not only asked once.",
        "People from all backgrounds take part.",
    ),
    Statement(
        "presence-2",
        "presence",
        "People with a learning disability and autistic people are involved, with the "
        "support they need.",
        "People with a learning disability and autistic people take part. They get help if needed.",
    ),
    Statement(
        "presence-3",
        "presence",
        "Carers and families are involved where the person wants them to be.",
        "Carers and families can take part.",
    ),
    Statement(
        "process-1",
        "process",
        "People are involved from the start, before decisions are made.",
        "We are asked at the start, not at the end.",
    ),
    Statement(
        "process-2",
        "process",
        "Meetings and papers are accessible: easy read, interpreters, breaks and travel support.",
        "Meetings and papers are easy to use. We get help like easy read and breaks.",
    ),
    Statement(
        "process-3",
        "process",
        "People hear back what happened to their ideas, including when nothing could change.",
        "Staff tell us what happened to our ideas.",
    ),
    Statement(
        "impact-1",
        "impact",
        "We can point to things that changed on the ward because of lived experience.",
        "Things on the ward changed because of us.",
    ),
    Statement(
        "impact-2",
        "impact",
        "The difference involvement makes is measured and shared.",
        "Staff check what difference we made. They tell everyone.",
    ),
    Statement(
        "impact-3",
        "impact",
        "The board hears about co-production and acts on what it hears.",
        "The top bosses hear what we say. They act on it.",
    ),
]

STATEMENTS_BY_KEY = {s.key: s for s in STATEMENTS}


def statements_for(domain: str) -> list[Statement]:
    return [s for s in STATEMENTS if s.domain == domain]
