"""Reading and saving group figures, the national benchmark and the representation profile."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from coproduce.core import audit, uploads
from coproduce.equity import disclose, read_mha_stats, suppress_table
from coproduce.equity.chart import format_rate
from coproduce.equity.disclosure import published_count
from coproduce.equity.mha_stats import MhaStatsRow
from coproduce.improvement.models import WardMeasure

from . import analysis, rules
from .groups import DIMENSION_LABELS, VALUES, group_label, value_order
from .models import DIMENSIONS, DenominatorKind, GroupFigure, NationalFigure, NationalYear

ROW_FIELDS = ("period_start", *DIMENSIONS, "count", "denominator", "denominator_kind")


# --------------------------------------------------------------------------- reading figures


def figure_rows(queryset) -> list[dict]:
    """Plain rows for :func:`coproduce.equity_web.analysis.build`, in one query."""
    return list(
        queryset.values(
            *ROW_FIELDS,
            "ward_measure_id",
            "ward_measure__measure_id",
            "ward_measure__ward_id",
            "ward_measure__ward__provider_id",
        )
    )


def view_options(params) -> dict:
    """The choices a person made on the page, from the query string."""
    from .groups import parse_breakdown

    return {
        "breakdown": parse_breakdown(params.get("breakdown")),
        "kind": params.get("kind") or None,
        "window": params.get("window") or None,
        "reference": params.get("reference") or None,
        "focus": params.get("compare") or None,
    }


def headlines_by_measure(rows, frequency_of: dict) -> list[dict]:
    """One entry per measure holding group figures, with its headline sentence."""
    by_measure: dict[int, list] = defaultdict(list)
    for r in rows:
        by_measure[r["ward_measure__measure_id"]].append(r)
    out = []
    for measure_id, measure_rows in by_measure.items():
        view = analysis.build(
            measure_rows, frequency=frequency_of.get(measure_id, "monthly"), with_over_time=False
        )
        out.append({"measure_id": measure_id, "view": view, "headline": analysis.headline(view)})
    return out


# --------------------------------------------------------------------------- saving figures


class FileProblems(ValueError):
    """A file that cannot be imported; ``errors`` lists each problem with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


CSV_REQUIRED = ("period_start", "count", "denominator", "denominator_kind")
CSV_COLUMNS = (*CSV_REQUIRED, *DIMENSIONS)
MAX_IMPORT_ROWS = 5000
_BLANK = {"", "all", "any", "everyone"}


def _lookup(dimension: str) -> dict[str, object]:
    """Every accepted spelling of a dimension's values (key or label, any case)."""
    table: dict[str, object] = {}
    for key, label in VALUES[dimension].items():
        table[str(key).lower()] = key
        table[str(label).lower()] = key
    if dimension == "ethnicity":
        table.update({"black": "black", "asian": "asian", "not stated": "not_stated"})
    if dimension == "gender":
        table.update({"male": "1", "female": "2", "non-binary": "3", "not known": "X"})
    return table


_LOOKUPS = {d: _lookup(d) for d in DIMENSIONS}
_KINDS = {k: k for k in DenominatorKind.values} | {
    label.lower(): k for k, label in DenominatorKind.choices
}
_KINDS |= {"bed days": DenominatorKind.BED_DAYS, "occupied bed days": DenominatorKind.BED_DAYS}


def parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def check_period(frequency: str, day: date) -> str | None:
    """The period rule of :mod:`coproduce.equity_web.rules`, for a date already read."""
    return rules.period_problem(frequency, day)


def _whole(text: str) -> int | None:
    """A whole number as written in a file ("1,200", "-3"), or ``None`` if it is not one."""
    cleaned = text.strip().replace(",", "")
    return int(cleaned) if re.fullmatch(r"-?\d+", cleaned) else None


def parse_group_csv(text: str, frequency: str) -> list[dict]:
    """Read a CSV of group figures; raises :class:`FileProblems` listing every bad line.

    The file is read by the shared upload layer (``core.uploads``); the cells are checked here.
    """
    try:
        table = uploads.read_csv(
            text,
            columns=CSV_COLUMNS,
            required=CSV_REQUIRED,
            max_rows=MAX_IMPORT_ROWS,
            exact_width=True,
        )
    except uploads.UploadProblems as exc:
        raise FileProblems([_full_stop(m) for m in exc.messages]) from None
    items, seen = [], {}
    numbered: list[tuple[int, str]] = [(n, f"Line {n}: {r}.") for n, r in table.problems]
    for row in table.rows:
        line, cell = row.line, row.cells
        row_errors = []
        day = parse_date(cell["period_start"])
        count = _whole(cell["count"])
        denominator = _whole(cell["denominator"])
        if day is None:
            row_errors.append(
                f"period_start should be a date like 2025-01-31, not {cell['period_start']!r}"
            )
        if count is None:
            row_errors.append(f"count should be a whole number, not {cell['count'].strip()!r}")
        if denominator is None:
            row_errors.append(
                f"denominator should be a whole number, not {cell['denominator'].strip()!r}"
            )
        row_errors += [
            p
            for p in rules.figure_problems(
                frequency=frequency, period_start=day, count=count, denominator=denominator
            )
            if not (
                (day is None and p == rules.period_problem(frequency, None))
                or (count is None and p == rules.count_problem(None))
                or (denominator is None and p == rules.denominator_problem(None))
            )
        ]
        kind = _KINDS.get(cell["denominator_kind"].strip().lower())
        if kind is None:
            row_errors.append(
                "denominator_kind should be one of "
                + ", ".join(DenominatorKind.values)
                + f", not {cell['denominator_kind'].strip()!r}"
            )
        item = {"period_start": day, "count": count, "denominator": denominator}
        item["denominator_kind"] = kind
        for d in DIMENSIONS:
            raw = cell.get(d, "").strip()
            if raw.lower() in _BLANK:
                item[d] = None
                continue
            value = _LOOKUPS[d].get(raw.lower())
            if value is None and d == "deprivation_decile" and raw.isdigit():
                value = int(raw) if 1 <= int(raw) <= 10 else None
            if value is None:
                row_errors.append(f"{d} {raw!r} is not a value we know")
            item[d] = value
        if item.get("ethnicity") and item.get("ethnicity_detailed"):
            row_errors.append("give the broad ethnic group or the detailed category, not both")
        if row_errors:
            numbered.append((line, f"Line {line}: " + "; ".join(row_errors) + "."))
            continue
        key = _key(item)
        if key in seen:
            again = f"Line {line}: repeats the group and period on line {seen[key]}."
            numbered.append((line, again))
            continue
        seen[key] = line
        items.append(item)
    if numbered:
        raise FileProblems([m for _, m in sorted(numbered, key=lambda e: e[0])])
    if not items:
        raise FileProblems(["The file has a header but no figures."])
    return items


def _full_stop(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _key(item) -> tuple:
    return (item["period_start"], *(item[d] for d in DIMENSIONS))


@transaction.atomic
def save_figures(ward_measure, items: list[dict], user) -> tuple[int, int]:
    """Add or replace figures, all or nothing. Returns (added, replaced)."""
    periods = {i["period_start"] for i in items}
    existing = {
        _key({f: getattr(g, f) for f in ("period_start", *DIMENSIONS)}): g
        for g in GroupFigure.objects.filter(ward_measure=ward_measure, period_start__in=periods)
    }
    added = replaced = 0
    for item in items:
        figure = existing.get(_key(item))
        if figure is None:
            figure = GroupFigure(ward_measure=ward_measure, **{f: item[f] for f in ROW_FIELDS})
            added += 1
        else:
            changed = any(
                getattr(figure, f) != item[f] for f in ("count", "denominator", "denominator_kind")
            )
            if not changed:
                continue
            for f in ("count", "denominator", "denominator_kind"):
                setattr(figure, f, item[f])
            replaced += 1
        figure.entered_by = user
        figure.clean()  # the same rules again, whoever called: nothing invalid is stored
        figure.save()
    return added, replaced


def import_group_csv(ward_measure, text: str, user) -> tuple[int, int]:
    items = parse_group_csv(text, ward_measure.measure.frequency)
    return save_figures(ward_measure, items, user)


def example_csv() -> str:
    return (
        "period_start,ethnicity,autism,gender,count,denominator,denominator_kind\n"
        "2025-01-01,white,,,12,140,caseload\n"
        "2025-01-01,black,,,9,40,caseload\n"
        "2025-01-01,black,yes,1,3,8,caseload\n"
    )


# --------------------------------------------------------------------------- national benchmark


NATIONAL_UPLOAD_KIND = "national-mha-stats"


class YearsHeld(ValueError):
    """Years in the file that are already held: importing would replace each whole year.
    ``plan`` is :func:`national_plan` for the file."""

    def __init__(self, plan: list[dict]):
        self.plan = plan
        held = [p for p in plan if p["rows_now"] is not None]
        words = "; ".join(
            f"{p['year']} is already held ({p['rows_now']:,} rows now, {p['rows_in_file']:,} "
            "in this file)"
            for p in held
        )
        super().__init__(
            f"{words}. Importing replaces the whole of each year, so a file with only part of "
            "a year would lose the rest"
        )


def _by_year(rows: list[MhaStatsRow]) -> dict[str, list[MhaStatsRow]]:
    if not rows:
        raise ValueError("the file has a header but no rows")
    by_year: dict[str, list[MhaStatsRow]] = defaultdict(list)
    for row in rows:
        if not row.year:
            raise ValueError(f"line {row.line}: Year is empty")
        by_year[row.year].append(row)
    return dict(sorted(by_year.items()))


def national_plan(rows: list[MhaStatsRow]) -> list[dict]:
    """What importing the rows would do, year by year: rows held now (None for a new
    year) and rows in the file."""
    by_year = _by_year(rows)
    held = dict(
        NationalYear.objects.filter(year__in=list(by_year)).values_list("year", "row_count")
    )
    return [
        {
            "year": year,
            "rows_now": held.get(year),
            "rows_in_file": len(year_rows),
            "fewer": held.get(year) is not None and len(year_rows) < held[year],
        }
        for year, year_rows in by_year.items()
    ]


def _figure(held: NationalYear, r: MhaStatsRow) -> NationalFigure:
    return NationalFigure(
        year=held,
        line=r.line,
        measure=r.measure,
        measure_subcategory=r.measure_subcategory,
        demographic=r.demographic,
        demographic_breakdown=r.demographic_breakdown,
        organisation_breakdown=r.organisation_breakdown,
        datasource=r.datasource,
        org_id=r.org_id,
        org_name=r.org_name,
        mhsds_count=r.mhsds_count,
        acute_count=r.acute_count,
        total_count=r.total_count,
        crude_rate=r.crude_rate,
        std_rate=r.std_rate,
        confidence_interval=r.confidence_interval or "",
        ci_lower=r.confidence_limits[0] if r.confidence_limits else None,
        ci_upper=r.confidence_limits[1] if r.confidence_limits else None,
        suppressed=sorted(r.suppressed),
        missing=sorted(r.missing),
    )


@transaction.atomic
def import_national(
    rows: list[MhaStatsRow], file_name: str, user=None, *, replace: bool = False
) -> dict[str, int]:
    """Store the rows year by year, all or nothing, with one audit entry per year.

    A year already held is replaced only with ``replace``; otherwise :class:`YearsHeld`
    says which years and how many rows each holds now and in the file.
    """
    by_year = _by_year(rows)
    held = {y.year: y for y in NationalYear.objects.select_for_update().filter(year__in=by_year)}
    if held and not replace:
        raise YearsHeld(national_plan(rows))
    counts = {}
    for year, year_rows in by_year.items():
        n = len(year_rows)
        existing = held.get(year)
        if existing is not None:
            # In place and without signals, so the year has one audit entry, not a
            # deletion and a creation.
            NationalFigure.objects.filter(year=existing).delete()
            NationalYear.objects.filter(pk=existing.pk).update(
                file_name=file_name[:255], row_count=n, imported_by=user, imported_at=timezone.now()
            )
            audit.record(
                "update",
                existing,
                actor=user,
                changes={"rows": [existing.row_count, n]},
                note=f"Replaced with {n} rows from {file_name}"[:300],
            )
            target = existing
        else:
            (target,) = NationalYear.objects.bulk_create(
                [NationalYear(year=year, file_name=file_name[:255], row_count=n, imported_by=user)]
            )
            audit.record(
                "create", target, actor=user, note=f"Imported {n} rows from {file_name}"[:300]
            )
        NationalFigure.objects.bulk_create([_figure(target, r) for r in year_rows], batch_size=1000)
        counts[year] = n
    return counts


def import_national_file(source, file_name: str, user=None, *, replace=False) -> dict[str, int]:
    """Read (path or text file) and store. Raises ``ValueError`` with a plain message."""
    return import_national(read_mha_stats(source), file_name, user, replace=replace)


def rows_to_json(rows: list[MhaStatsRow]) -> list[dict]:
    return [r.as_dict() for r in rows]


def rows_from_json(data: list[dict]) -> list[MhaStatsRow]:
    out = []
    for d in data:
        limits = d.get("confidence_limits")
        d = d | {
            "confidence_limits": tuple(limits) if limits else None,
            "suppressed": frozenset(d.get("suppressed") or ()),
            "missing": frozenset(d.get("missing") or ()),
        }
        out.append(MhaStatsRow(**d))
    return out


def _plain(name: str) -> str:
    """A region's name without a bracketed note, lower case: "London (fictional)" -> "london"."""
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip().lower()


def _kind(breakdown: str) -> str:
    text = breakdown.lower()
    if "england" in text or "national" in text:
        return "national"
    if "region" in text:
        return "region"
    if "provider" in text:
        return "provider"
    return "other"


def benchmark_topics(year: NationalYear) -> list[tuple[str, str]]:
    """The measures and demographics held for a year, as (value, label) choices."""
    topics = (
        year.figures.values_list("measure", "measure_subcategory", "demographic")
        .distinct()
        .order_by("measure", "measure_subcategory", "demographic")
    )
    return [("||".join(t), f"{t[0]}: {t[1]}, by {t[2].lower()}") for t in topics]


def _default_topic(topics) -> str | None:
    for value, label in topics:
        if "detention" in label.lower() and "ethnic" in label.lower():
            return value
    return topics[0][0] if topics else None


def _rate_text(rate, lower, upper) -> tuple[str, str]:
    if rate is None:
        return "", ""
    interval = f"{format_rate(lower)} to {format_rate(upper)}" if lower is not None else ""
    return format_rate(rate), interval


@dataclass
class Benchmark:
    years: list
    year: NationalYear | None
    topics: list
    topic: str | None
    rows: list
    has_provider: bool
    has_region: bool
    region_name: str
    reference: str

    @property
    def empty(self):
        return not self.rows

    @property
    def year_choices(self):
        return [(y.year, y.year) for y in self.years]


def benchmark(provider, year_text=None, topic=None) -> Benchmark:
    """National, regional and the provider's own published figures, group by group."""
    years = list(NationalYear.objects.all())
    year = next((y for y in years if y.year == year_text), years[0] if years else None)
    if year is None:
        return Benchmark([], None, [], None, [], False, False, "", "")
    topics = benchmark_topics(year)
    if topic not in {t for t, _ in topics}:
        topic = _default_topic(topics)
    measure, subcategory, demographic = (topic or "||").split("||")
    figures = list(
        year.figures.filter(
            measure=measure, measure_subcategory=subcategory, demographic=demographic
        ).order_by("line")
    )
    region = _plain(provider.region or "")
    groups: dict[str, dict] = {}
    region_name = ""
    for f in figures:
        where = _kind(f.organisation_breakdown)
        if where == "provider" and f.org_id.upper() != provider.ods_code.upper():
            continue
        if where == "region" and (not region or _plain(f.org_name) != region):
            continue
        if where == "other":
            continue
        if where == "region":
            region_name = f.org_name
        entry = groups.setdefault(f.demographic_breakdown, {"group": f.demographic_breakdown})
        entry[where] = f
    reference = next((g for g in groups if g.lower() == "white"), "")
    out = []
    for name, entry in groups.items():
        row = {"group": name}
        for where in ("national", "region", "provider"):
            f = entry.get(where)
            count = f.total_count if f else None
            if f is None:
                row[where] = None
                continue
            suppressed = f is not None and "total_count" in f.suppressed
            rate, interval = _rate_text(f.crude_rate, f.ci_lower, f.ci_upper)
            ref = groups.get(reference, {}).get(where)
            ratio = ""
            if (
                reference
                and name != reference
                and ref is not None
                and f.crude_rate
                and ref.crude_rate
            ):
                ratio = f"{f.crude_rate / ref.crude_rate:.1f}"
            row[where] = {
                "count": "*" if suppressed else ("" if count is None else f"{count:,}"),
                "rate": rate,
                "interval": interval,
                "ratio": ratio,
            }
        out.append(row)
    return Benchmark(
        years=years,
        year=year,
        topics=topics,
        topic=topic,
        rows=out,
        has_provider=any(r.get("provider") for r in out),
        has_region=any(r.get("region") for r in out),
        region_name=region_name,
        reference=reference,
    )


# --------------------------------------------------------------------------- representation

REPRESENTED = ("ethnicity", "learning_disability", "autism")


def partner_characteristics(ward_ids, provider_id) -> dict[str, dict[str, int]]:
    """How many lived experience partners involved in these wards describe themselves each way.

    Partners count if they hold a partner role on the provider or one of the wards, or took
    part in involvement logged there. Only characteristics whose consent stands (not
    withdrawn) count. Answers empty data if the co-production app is not installed.
    """
    from django.apps import apps

    try:
        characteristic = apps.get_model("coproduction", "PartnerCharacteristic")
        involvement_partner = apps.get_model("coproduction", "InvolvementPartner")
    except LookupError:
        return {}
    from django.db.models import Count, Q

    from coproduce.programme.models import Membership, Role

    ward_ids = list(ward_ids)
    role_q = Q(role=Role.LIVED_EXPERIENCE_PARTNER) & (
        Q(ward_id__in=ward_ids) | Q(provider_id=provider_id, ward__isnull=True)
    )
    members = Membership.objects.filter(role_q).values("user_id")
    involved_q = Q(involvement__ward_id__in=ward_ids)
    if provider_id is not None:
        involved_q |= Q(involvement__provider_id=provider_id, involvement__ward__isnull=True)
    involved = involvement_partner.objects.filter(involved_q).values("user_id")
    rows = (
        characteristic.objects.filter(withdrawn_at__isnull=True)
        .exclude(value="")
        .filter(Q(profile__user_id__in=members) | Q(profile__user_id__in=involved))
        .values("kind", "value")
        .annotate(n=Count("profile__user_id", distinct=True))
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        out[r["kind"]][r["value"]] = r["n"]
    return dict(out)


def people_on_wards(ward_ids) -> tuple[dict[str, dict], dict]:
    """The latest caseload profile of each ward by ethnicity, learning disability and autism.

    For each ward and dimension, the one-way caseload figures of its latest period are used
    (from the ward measure with the latest such figures; the lowest id if two tie), and the
    wards are added together. Returns ``({dimension: {value: people}}, {dimension: date})``.
    """
    qs = GroupFigure.objects.filter(
        ward_measure__ward_id__in=list(ward_ids), denominator_kind=DenominatorKind.CASELOAD
    ).values("ward_measure__ward_id", "ward_measure_id", "period_start", "denominator", *DIMENSIONS)
    chosen: dict[tuple, tuple] = {}
    rows = []
    for r in qs:
        dims = [d for d in DIMENSIONS if r[d] is not None]
        if len(dims) != 1 or dims[0] not in REPRESENTED:
            continue
        rows.append((dims[0], r))
        key = (r["ward_measure__ward_id"], dims[0])
        rank = (r["period_start"], -r["ward_measure_id"])
        if key not in chosen or rank > chosen[key]:
            chosen[key] = rank
    profile: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    latest: dict[str, date] = {}
    for dim, r in rows:
        rank = chosen[(r["ward_measure__ward_id"], dim)]
        if (r["period_start"], -r["ward_measure_id"]) != rank:
            continue
        profile[dim][r[dim]] += r["denominator"]
        latest[dim] = max(latest.get(dim, r["period_start"]), r["period_start"])
    return {d: dict(v) for d, v in profile.items()}, latest


def _wilson(count: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    p = count / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def _about_percent(share: float) -> str:
    """A share rounded to the nearest 5 percentage points, so it cannot give a count away."""
    rounded = int(5 * round(share * 100 / 5))
    if rounded == 0 and share > 0:
        return "under 5%"
    return f"about {rounded}%"


def _side(counts: list[int], extra: int = 0) -> dict:
    """One side of the comparison (partners, or people on the wards), as published.

    Shown group by group only when at least ``rules.MIN_PEOPLE_FOR_BREAKDOWN`` people are
    in it (``extra`` counts people outside the groups, such as partners who used their own
    words). Counts are disclosed on their own, and shares are worked out from the published
    counts, so a share gives nothing more away than the counts do.
    """
    total = sum(counts) + extra
    if not rules.enough_people(total):
        return {"enough": False, "texts": [""] * len(counts), "shares": [""] * len(counts)}
    # Zeros are shown: the threshold, not a star, protects a breakdown of people.
    table = suppress_table(counts, show_zero=True)
    published_total = published_count(total, show_zero=True)
    shares = []
    for value in table.values:
        if value is None or not published_total:
            shares.append("")
        else:
            shares.append(_about_percent(value / published_total))
    return {
        "enough": True,
        "table": table,
        "texts": list(table.cells),
        "shares": shares,
        "total": published_total,
        "total_text": disclose(total, show_zero=True),
    }


def representation(ward_ids, provider_id) -> list[dict]:
    """For each characteristic: partners' profile against the people on the wards.

    A side with fewer than ``rules.MIN_PEOPLE_FOR_BREAKDOWN`` people is not broken down at
    all (a sentence says why), because with one or two partners even the zeros say who
    they are. The reading (under- or over-represented) uses the published counts only.
    """
    partners = partner_characteristics(ward_ids, provider_id)
    people, latest = people_on_wards(ward_ids)
    sections = []
    for dim in REPRESENTED:
        label = DIMENSION_LABELS[dim]
        p_counts = {k: v for k, v in partners.get(dim, {}).items() if k in VALUES[dim]}
        own_words = partners.get(dim, {}).get("own_words", 0)
        d_counts = people.get(dim, {})
        values = sorted(set(p_counts) | set(d_counts), key=lambda v: value_order(dim, v))
        if not values and not own_words:
            sections.append({"dimension": label, "key": dim, "rows": [], "empty": True})
            continue
        p_list = [p_counts.get(v, 0) for v in values]
        d_list = [d_counts.get(v, 0) for v in values]
        p_side, d_side = _side(p_list, own_words), _side(d_list)
        rows = []
        for i, v in enumerate(values):
            row = {
                "group": group_label({dim: v}),
                "partners": p_side["texts"][i],
                "people": d_side["texts"][i],
                "partner_share": p_side["shares"][i],
                "people_share": d_side["shares"][i],
                "verdict": "Not enough data",
            }
            if p_side["enough"] and d_side["enough"]:
                p_value = p_side["table"].values[i]
                d_value = d_side["table"].values[i]
                if p_value is not None and d_value is not None and p_side["total"]:
                    lo, hi = _wilson(min(p_value, p_side["total"]), p_side["total"])
                    q = d_value / d_side["total"]
                    if q > hi:
                        row["verdict"] = "Under-represented among partners"
                    elif q < lo:
                        row["verdict"] = "Over-represented among partners"
                    else:
                        row["verdict"] = "Could not be told apart"
            rows.append(row)
        sections.append(
            {
                "dimension": label,
                "key": dim,
                "rows": rows if (p_side["enough"] or d_side["enough"]) else [],
                "partners_shown": p_side["enough"],
                "people_shown": d_side["enough"],
                "partners_note": ""
                if p_side["enough"]
                else rules.too_few_people("partners", label.lower()),
                "people_note": ""
                if d_side["enough"]
                else (
                    f"There are fewer than {rules.MIN_PEOPLE_FOR_BREAKDOWN} people in the "
                    f"caseload figures by {label.lower()}, so they are not shown group by group."
                ),
                "partner_total": p_side.get("total_text", ""),
                "people_total": d_side.get("total_text", ""),
                "own_words": own_words if p_side["enough"] else 0,
                "own_words_text": disclose(own_words, show_zero=True),
                "latest": latest.get(dim),
                "empty": False,
            }
        )
    return sections


def ward_measures_with_figures(user, **filters):
    """Ward measures the person may see that hold group figures, with ward and measure."""
    return (
        WardMeasure.objects.visible_to(user)
        .filter(group_figures__isnull=False, **filters)
        .distinct()
        .select_related("ward", "ward__provider", "measure")
        .order_by("measure__name", "ward__provider__name", "ward__name")
    )


__all__ = [
    "FileProblems",
    "benchmark",
    "figure_rows",
    "import_group_csv",
    "import_national",
    "import_national_file",
    "partner_characteristics",
    "people_on_wards",
    "representation",
    "save_figures",
]
