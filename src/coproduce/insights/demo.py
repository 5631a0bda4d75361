# ruff: noqa: E501 - the Markdown bodies keep one paragraph a line
"""Fictional demo content for the public site: topics, authors, insights (one a two-part
series), quotes with recorded permission, resources and a few newsletter subscribers.

Every person, ward and quote here is made up, and says so.
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from . import consent
from .models import (
    Author,
    ConsentAction,
    ConsentRecord,
    NewsletterIssue,
    Post,
    PostStatus,
    Quote,
    Resource,
    ResourceFormat,
    Review,
    ReviewDecision,
    Series,
    Subscriber,
    SubscriberStatus,
    Topic,
    unique_slug,
)

TOPICS = [
    (
        "Co-production",
        "Sharing power with people who have lived experience, from design to delivery.",
    ),
    (
        "Restrictive practice",
        "Restraint, seclusion and rapid tranquillisation: using them less, and fairly.",
    ),
    ("Race equity", "Why Black people are detained far more often, and what wards can change."),
    (
        "Learning disability and autism",
        "Making wards work for people with a learning disability and autistic people.",
    ),
    ("Carers", "Families and friends as partners in care, not visitors to it."),
]

PERMISSION = (
    "I agree to be quoted, credited as shown, in a post on the programme's public site and "
    "in its newsletter. I can ask for the quote to be removed at any time."
)

POSTS = [
    {
        "title": "What co-production meant on one ward",
        "summary": (
            "Six months on Willow Ward (fictional): what changed when people who had been "
            "detained sat at the table from the first meeting, not the last."
        ),
        "topics": ["Co-production"],
        "authors": ["Morgan Ashby", "Jo"],
        "days_ago": 40,
        "body": """When the ward team first met, the plan was to "get feedback" on a new admission leaflet. Jo, one of our lived experience partners, asked a different question: what would have helped on *their* first night?

## Starting from the first hour

The answers were not about the leaflet at all. People talked about not knowing where the toilet was, about not being told why the door was locked, and about nobody saying their name.

[quote 1]

So the team and partners rewrote the first hour together. A named member of staff now spends ten minutes with each new admission, and a partner-written card explains, in plain words, what happens next.

## What co-production asked of the staff

It asked them to hold back. Several times a senior nurse had a solution ready; several times the partners' version was simpler and cheaper. Decisions were made together, and when something could not change, the team said so and explained why.

[quote 2]

## What we would tell another ward

- invite partners before the problem is defined, not after
- pay people for their time, on time
- feed back what happened to every idea, including the ones that went nowhere
""",
        "quotes": [
            (
                "Nobody said my name for two days. That is the thing I remember.",
                "Jo, lived experience partner (fictional)",
                "Jo",
            ),
            (
                "I came in thinking we would be consulted. We ended up deciding things together.",
                "A lived experience partner (fictional)",
                "Sam T.",
            ),
        ],
    },
    {
        "title": "Counting the moments before restraint",
        "series": ("Less restriction, more listening", 1),
        "summary": (
            "The first part of a two-part series: how one ward began to look at what happens "
            "in the ten minutes before restraint, and who noticed what."
        ),
        "topics": ["Restrictive practice", "Co-production"],
        "authors": ["Morgan Ashby", "Ade"],
        "days_ago": 25,
        "body": """Restraint is usually counted after the fact: how many, how long, who. The team on a fictional PICU decided to look at the ten minutes *before*.

## What the data showed

Partners with experience of being restrained suggested a simple sheet: what was happening on the ward, who was around, and whether the person had asked for something and been refused. After eight weeks, the pattern was hard to miss: many incidents followed a refused request, often for something small.

[quote 1]

## Why it mattered who asked the question

Staff had looked at incident forms for years. It took someone who had been on the other side to ask what the person wanted just before things went wrong.

In Part II we describe what the ward changed, and what the chart showed afterwards.
""",
        "quotes": [
            (
                "Every time it happened to me, I had asked for something first. Nobody wrote that down.",
                "Ade, lived experience partner (fictional)",
                "Ade",
            ),
        ],
    },
    {
        "title": "What changed when the ward listened first",
        "series": ("Less restriction, more listening", 2),
        "summary": (
            "The second part: a 'yes, or here is why not' rule for requests, and what the "
            "ward's restraint chart did over the next twelve weeks."
        ),
        "topics": ["Restrictive practice"],
        "authors": ["Morgan Ashby", "Ade"],
        "days_ago": 12,
        "body": """The change idea came from the partners: every request gets an answer within ten minutes, either "yes" or "not now, and here is why, and here is when".

## Testing it small

The team tried it on one shift for a week, then on every day shift, then on nights. Each cycle was planned with a prediction and reviewed with the partners.

## What the chart showed

After twelve weeks the ward's weekly restraint count showed a run of points below the old average, which in the ward's statistical process control chart counts as a signal, not a lucky week. The team is careful to say this is one ward, and that the fictional figures here are for illustration.

[quote 1]

## What stayed hard

Night shifts with agency staff found the rule harder to keep. The partners suggested a one-page explanation for every new starter, which the ward is testing now.
""",
        "quotes": [
            (
                "Being told 'not now, but at four o'clock' is completely different from being ignored.",
                "A person who was detained on the ward (fictional)",
                "Ade, on behalf of a former patient who asked to stay anonymous",
            ),
        ],
    },
    {
        "title": "Easy read is not an afterthought",
        "summary": (
            "Why the programme writes easy read versions first for people with a learning "
            "disability and autistic people, and how partners test them."
        ),
        "topics": ["Learning disability and autism", "Co-production"],
        "authors": ["Priya"],
        "days_ago": 6,
        "speaks": False,
        "body": """Easy read documents are often made last, from a finished report, in a hurry. The specialist wards in the programme tried the opposite: write the easy read version first, test it with people who will use it, then write the long version.

## What we learned

- short sentences and one idea per line help everyone, not only people with a learning disability
- pictures must show the actual ward, not a stock photograph
- testing with two or three people finds most of the problems

You can download our one-page guide to the ladder of co-production in easy read from the resources page.
""",
        "quotes": [],
    },
    {
        "title": "Carers in the room",
        "summary": (
            "Carers know things about a person that no assessment records. How one ward "
            "made room for them in ward rounds."
        ),
        "topics": ["Carers", "Race equity"],
        "authors": ["Jo"],
        "days_ago": 2,
        "status": PostStatus.REVIEW,
        "body": """Families from racialised communities told the programme the same thing again and again: they were asked for information, but not listened to.

## A seat at the ward round

A fictional adult acute ward agreed to offer every carer a place at the weekly ward round, with an interpreter when needed and a named contact afterwards.

[quote 1]

This post is waiting for a lived experience partner's review before publication.
""",
        "quotes": [
            (
                "They finally asked me what my son is like when he is well.",
                "A carer (fictional)",
                None,
            ),
        ],
    },
]

RESOURCES = [
    {
        "title": "The ladder of co-production, in easy read",
        "description": (
            "A one-page easy read guide to the seven rungs of the ladder of co-production, "
            "from 'doing to' to 'doing with'. Made for ward meetings. Fictional demonstration file."
        ),
        "topics": ["Co-production", "Learning disability and autism"],
        "easy_read": True,
        "file": (
            "ladder-of-co-production-easy-read.pdf",
            [
                "The ladder of co-production (easy read) - fictional demo",
                "7. Co-production: we decide together, from start to finish.",
                "6. Co-design: you help us design it.",
                "5. Engagement: you can change some things.",
                "4. Consultation: we ask what you think.",
                "3. Informing: we tell you what we decided.",
                "2. Educating: we explain how things work.",
                "1. Coercion: you are not asked.",
            ],
        ),
    },
    {
        "title": "Planning a co-produced workshop: a checklist",
        "description": (
            "Before, during and after: payment agreed in advance, accessible rooms and papers, "
            "and feedback on what happened to every idea. Fictional demonstration file."
        ),
        "topics": ["Co-production"],
        "easy_read": False,
        "file": (
            "co-produced-workshop-checklist.pdf",
            [
                "Planning a co-produced workshop - fictional demo checklist",
                "Before: agree payment and expenses, in writing, before the day.",
                "Before: send papers a week ahead, with an easy read version.",
                "During: partners co-chair; decisions are recorded with who made them.",
                "After: tell everyone what happened to each idea, including 'not now'.",
            ],
        ),
    },
    {
        "title": "Working in partnership with people and communities",
        "description": (
            "NHS England's statutory guidance on involving people, including feeding back how "
            "their input was used."
        ),
        "topics": ["Co-production"],
        "link": "https://www.england.nhs.uk/publication/working-in-partnership-with-people-and-communities-statutory-guidance/",
        "format": ResourceFormat.WEB,
    },
    {
        "title": "Mental Health Act Code of Practice",
        "description": "The statutory guidance for professionals working under the Mental Health Act.",
        "topics": ["Restrictive practice", "Race equity"],
        "link": "https://www.gov.uk/government/publications/code-of-practice-mental-health-act-1983",
        "format": ResourceFormat.WEB,
    },
]

SUBSCRIBERS = [
    ("reader.one@example.org", ["Co-production", "Carers"], SubscriberStatus.CONFIRMED),
    ("reader.two@example.org", ["Restrictive practice"], SubscriberStatus.CONFIRMED),
    ("reader.three@example.org", ["Race equity", "Co-production"], SubscriberStatus.CONFIRMED),
    ("reader.four@example.org", ["Learning disability and autism"], SubscriberStatus.PENDING),
]


def tiny_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with lines of text (no library needed)."""

    def esc(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = (
        "BT /F1 12 Tf 56 780 Td 16 TL\n"
        + "".join(f"({esc(line)}) Tj T*\n" for line in lines)
        + "ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode("latin-1")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("latin-1")
    return out


def load(context: dict) -> None:
    users = context.get("users", {})
    editor = users.get("admin@example.org")
    partner = users.get("partner@example.org")
    now = timezone.now()

    topics = {name: Topic.objects.create(name=name, description=d) for name, d in TOPICS}
    authors = {
        "Morgan Ashby": Author.objects.create(
            credit_name="Morgan Ashby",
            description="Programme lead (fictional)",
            user=editor,
            is_fictional=True,
        ),
        "Jo": Author.objects.create(
            credit_name="Jo",
            description="Lived experience partner (fictional)",
            has_lived_experience=True,
            user=partner,
            is_fictional=True,
        ),
        "Ade": Author.objects.create(
            credit_name="Ade",
            description="Lived experience partner and carer (fictional)",
            has_lived_experience=True,
            is_fictional=True,
        ),
        "Priya": Author.objects.create(
            credit_name="Priya",
            description="Improvement coach (fictional)",
            is_fictional=True,
        ),
    }
    series = {}
    posts = []
    for spec in POSTS:
        status = spec.get("status", PostStatus.PUBLISHED)
        speaks = spec.get("speaks", True)
        published_at = now - timedelta(days=spec["days_ago"])
        series_obj, part = None, None
        if "series" in spec:
            title, part = spec["series"]
            series_obj = series.get(title) or Series.objects.create(title=title)
            series[title] = series_obj
        approved = speaks and status == PostStatus.PUBLISHED and partner is not None
        post = Post.objects.create(
            title=spec["title"],
            slug=unique_slug(Post, spec["title"]),
            summary=spec["summary"],
            body=spec["body"],
            series=series_obj,
            series_part=part,
            speaks_about_lived_experience=speaks,
            status=status,
            published_at=published_at if status == PostStatus.PUBLISHED else None,
            lived_experience_approved_by=partner if approved else None,
            lived_experience_approved_at=published_at - timedelta(days=1) if approved else None,
            created_by=editor,
            is_fictional=True,
        )
        post.topics.set([topics[t] for t in spec["topics"]])
        post.authors.set([authors[a] for a in spec["authors"]])
        for position, (text, attribution, given_by) in enumerate(spec["quotes"], start=1):
            Quote.objects.create(
                post=post,
                text=text,
                attribution=attribution,
                position=position,
                permission_given_by=given_by or "",
                permission_given_on=(published_at - timedelta(days=10)).date()
                if given_by
                else None,
                permission_wording=PERMISSION if given_by else "",
                recorded_by=editor,
            )
        if approved:
            Review.objects.create(
                post=post,
                reviewer=partner,
                decision=ReviewDecision.APPROVED,
                as_lived_experience_partner=True,
                comment="Reads true to how it was. Happy for it to go out.",
            )
        posts.append(post)

    for spec in RESOURCES:
        resource = Resource(
            title=spec["title"],
            slug=unique_slug(Resource, spec["title"]),
            description=spec["description"],
            easy_read=spec.get("easy_read", False),
            is_fictional=True,
        )
        if "file" in spec:
            name, lines = spec["file"]
            data = tiny_pdf(lines)
            resource.format = ResourceFormat.PDF
            resource.file_size = len(data)
            resource.file.save(name, ContentFile(data), save=False)
        else:
            resource.link = spec["link"]
            resource.format = spec["format"]
        resource.save()
        resource.topics.set([topics[t] for t in spec["topics"]])

    for email, names, status in SUBSCRIBERS:
        subscriber = Subscriber.objects.create(
            email=email,
            status=status,
            is_fictional=True,
            pending_consent_version=consent.CURRENT_VERSION,
            confirmed_at=now - timedelta(days=30) if status == SubscriberStatus.CONFIRMED else None,
        )
        subscriber.topics.set([topics[n] for n in names])
        if status == SubscriberStatus.CONFIRMED:
            ConsentRecord.objects.create(
                subscriber=subscriber,
                action=ConsentAction.GIVEN,
                wording=consent.wording(),
                version=consent.CURRENT_VERSION,
                topics=", ".join(names),
                at=subscriber.confirmed_at,
            )

    issue = NewsletterIssue.objects.create(
        subject=f"Co-production in practice: {date.today():%B %Y} (fictional demo)",
        introduction=(
            "Welcome to this month's newsletter. This time: what co-production meant on one "
            "ward, and the first part of our series on restrictive practice.\n\n"
            "*Everything in this demo newsletter is fictional.*"
        ),
        created_by=editor,
    )
    issue.topics.set([topics["Co-production"], topics["Restrictive practice"]])
    issue.posts.set(posts[:2])
    context.update(insight_topics=topics, insight_posts=posts)
