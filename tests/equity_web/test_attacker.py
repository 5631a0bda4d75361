"""An attacker with a provider lead's sign-in tries to work out hidden counts.

The test plays someone who collects every equity figure a provider lead can reach (every
equity page of the provider, of each of its wards and of the programme, every breakdown,
comparison group, group followed over time and window, and every CSV download) and tries
to recover each hidden true count:

(a) from the published rate and interval of a group (Byar's upper limit divided by the
    rate depends only on the count; so does the lower limit), from rate x denominator
    (the attacker is assumed to know the denominators from elsewhere) and from the ratio
    with its interval against the comparison group;
(b) by differencing: a total minus the other parts of the same line, within a table
    (one-way totals, the rows and columns of a crossing), between a one-way breakdown and
    a crossing of the same groups, and between levels (a provider's figure minus its
    wards' figures), with whatever (a) recovered used as known values.

The test knows the true counts because it created them. A count is hidden when what is
published for it is not the count itself (a star, or a rounded count such as 7 shown as
5). No recovered value may equal a hidden true count.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from coproduce.equity import byar_limits
from coproduce.equity.chart import format_rate
from coproduce.equity_web import urls as equity_urls
from coproduce.equity_web.groups import group_label
from coproduce.equity_web.models import DIMENSIONS

from .helpers import catalogue_measure, figure, months, ward_measure

PER = 100  # caseload rates are per 100 people cared for
Z = 1.959964
#: Byar's limits for the counts the attacker tries.
TRIES = range(1, 400)
BYAR = {o: byar_limits(o) for o in TRIES}

#: Routes whose pages hold no published equity figure or are not open to a provider lead as
#: a reader: the "figures as entered" pages are the entry side, for the people who enter the
#: figures (ADR 060), and the national pages are for programme admins.
NOT_PUBLISHED = {
    "data": "figures as entered, for the people who enter them",
    "entry": "entry form",
    "import": "upload form",
    "figure-delete": "confirmation page",
    "national": "admin only",
    "national-upload": "admin only",
}


# --------------------------------------------------------------------------- the data


#: Ward A1, one-way by ethnic group: (group, count, caseload). Small cells and counts that
#: rounding hides (7, 12, 6, 8, 1, 3, 4).
ONE_WAY = {
    "a1": [("white", 12, 100), ("mixed", 6, 20), ("asian", 1, 10), ("black", 7, 30)],
    "a2": [("white", 20, 80), ("mixed", 8, 16), ("asian", 6, 12), ("black", 3, 25)],
}
#: Ward A1, ethnic group by autism: consistent with the one-way figures above.
CROSSING = [
    ("white", "yes", 2, 20),
    ("white", "no", 10, 80),
    ("mixed", "yes", 1, 5),
    ("mixed", "no", 5, 15),
    ("asian", "no", 1, 10),
    ("black", "yes", 3, 10),
    ("black", "no", 4, 20),
]
PERIOD = date(2025, 1, 1)


@pytest.fixture
def data(world):
    measure = catalogue_measure("Restraint (fictional)")
    over_time = catalogue_measure("Seclusion (fictional)")
    wms = {
        "a1": ward_measure(world.ward_a1, measure),
        "a2": ward_measure(world.ward_a2, measure),
    }
    rows = []  # (ward key, measure id, period, dims, count, denominator)

    def add(key, wm, count, den, period=PERIOD, **dims):
        figure(wm, count, den, period=period, **dims)
        rows.append((key, wm.measure_id, period, dims, count, den))

    for key, groups in ONE_WAY.items():
        for group, count, den in groups:
            add(key, wms[key], count, den, ethnicity=group)
    for group, autistic, count, den in CROSSING:
        add("a1", wms["a1"], count, den, ethnicity=group, autism=autistic)
    # Fourteen months on another measure, so the ratio over time is charted and the two
    # windows (latest 12, all) differ.
    wm_time = ward_measure(world.ward_a1, over_time)
    for i, period in enumerate(months(14)):
        add("a1", wm_time, 9 + i % 4, 60, period=period, ethnicity="white")
        add("a1", wm_time, 3 + i % 5, 20, period=period, ethnicity="black")
    # Another provider's ward: must never be reachable.
    other = ward_measure(world.ward_b1, measure)
    figure(other, 2, 10, ethnicity="black")
    return {"measure": measure, "over_time": over_time, "wms": wms, "wm_time": wm_time}, rows


# --------------------------------------------------------------------------- reading pages


class _Tables(HTMLParser):
    """Every table on a page as rows of cell texts, with its caption."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None
        self.options: dict[str, list[str]] = defaultdict(list)
        self._select: str | None = None
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self.options[self._select].append(a.get("value", ""))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self.tables:
                self.tables[-1]["rows"].append(self._row)
            self._row = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)
        self.text.append(data)


def _parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    return p


def _number(text: str) -> int | None:
    """A published count: a whole number, or None for a star, a dash or nothing."""
    text = text.replace(",", "").strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


def _float(text: str) -> float | None:
    text = text.replace(",", "").strip()
    return float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else None


def _interval(text: str) -> tuple[float, float] | None:
    m = re.search(r"([\d.,]+) to ([\d.,]+)", text)
    return (_float(m.group(1)), _float(m.group(2))) if m else None


# --------------------------------------------------------------------------- the attack


def _from_rate(rate_text, interval_text, denominator) -> set[int]:
    """Counts that reproduce the published rate and interval exactly, given the
    denominator; and the count that Byar's upper/rate and lower/rate ratios point to."""
    found: set[int] = set()
    rate, interval = _float(rate_text), _interval(interval_text)
    if rate is None or interval is None:
        return found
    # With the denominator: rate x denominator, checked against every figure shown.
    exact = set()
    for o in TRIES:
        lo, hi = BYAR[o]
        if (
            format_rate(o * PER / denominator) == rate_text
            and f"{format_rate(lo * PER / denominator)} to {format_rate(hi * PER / denominator)}"
            == interval_text
        ):
            exact.add(o)
    if len(exact) == 1:
        found |= exact
    # Without it: upper / rate and lower / rate depend only on the count.
    if rate > 0:
        for ratio_of, limit in ((1, interval[1]), (0, interval[0])):
            if not limit:
                continue
            seen = limit / rate
            close = [o for o in TRIES if abs(BYAR[o][ratio_of] / o - seen) / seen < 0.002]
            if len(close) == 1:
                found.add(close[0])
    return found


def _fmt(x: float) -> str:
    return f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def _from_ratio(ratio_text, reference_count, denominator, reference_denominator) -> set[int]:
    """Counts that reproduce the ratio and its interval, given the reference count."""
    m = re.fullmatch(r"([\d.]+) \(([\d.]+) to ([\d.]+)\)", ratio_text or "")
    if not m or not reference_count:
        return set()
    value, lo, hi = (float(g) for g in m.groups())
    found = set()
    for o in TRIES:
        rr = (o / denominator) / (reference_count / reference_denominator)
        half = Z * math.sqrt(1 / o + 1 / reference_count)
        if (_fmt(rr), _fmt(rr * math.exp(-half)), _fmt(rr * math.exp(half))) == (
            _fmt(value),
            _fmt(lo),
            _fmt(hi),
        ):
            found.add(o)
    return found if len(found) == 1 else set()


class Ledger:
    """What the attacker has seen and recovered, cell by cell.

    A cell is ``(scope, measure, window, label)``; scope is a frozenset of ward keys.
    ``published`` holds the number shown (``None`` for a star); ``recovered`` every value
    an attack produced.
    """

    def __init__(self):
        self.published: dict[tuple, int | None] = {}
        self.recovered: dict[tuple, set[int]] = defaultdict(set)
        self.how: dict[tuple, set[str]] = defaultdict(set)
        self.lines: list[tuple[tuple, list[tuple]]] = []  # (total cell, part cells)

    def see(self, cell, value):
        self.published.setdefault(cell, value)

    def recover(self, cell, values, how):
        for v in values:
            self.recovered[cell].add(v)
            self.how[cell].add(f"{how} gave {v}")

    def known(self, cell) -> int | None:
        """The best the attacker knows: a single recovered value, else what is shown."""
        rec = self.recovered.get(cell)
        if rec and len(rec) == 1:
            return next(iter(rec))
        return self.published.get(cell)

    def difference(self):
        """Differencing until nothing new is learnt."""
        for _ in range(5):
            for total, parts in self.lines:
                cells = [total, *parts]
                unknown = [c for c in cells if self.known(c) is None and c in self.published]
                if any(c not in self.published for c in cells) or len(unknown) != 1:
                    continue
                (u,) = unknown
                if u == total:
                    value = sum(self.known(p) for p in parts)
                else:
                    value = self.known(total) - sum(self.known(p) for p in parts if p != u)
                self.recover(u, [value], f"differencing {total[-1]} in {sorted(total[0])}")
            # Also every total minus its known parts, whatever they are (rounded ones too).
            for total, parts in self.lines:
                if any(c not in self.published for c in [total, *parts]):
                    continue
                for u in parts:
                    others = [self.known(p) for p in parts if p != u]
                    if self.known(total) is None or any(v is None for v in others):
                        continue
                    self.recover(u, [self.known(total) - sum(others)], "total minus the rest")


WARDS = {"a1", "a2"}


def _truth(rows, scope, measure_id, window, dims: dict) -> int:
    """The true count of one group (``dims``) over the wards in ``scope``."""
    periods = sorted({r[2] for r in rows if r[1] == measure_id})
    if window == "12":
        periods = periods[-12:]
    wanted = {d: v for d, v in dims.items() if v is not None}
    total = 0
    for key, m, period, row_dims, count, _den in rows:
        if key not in scope or m != measure_id or period not in periods:
            continue
        if row_dims == wanted:
            total += count
    return total


def _denominator(rows, scope, measure_id, window, dims) -> int:
    periods = sorted({r[2] for r in rows if r[1] == measure_id})
    if window == "12":
        periods = periods[-12:]
    return sum(
        r[5]
        for r in rows
        if r[0] in scope and r[1] == measure_id and r[2] in periods and r[3] == dims
    )


def _groups_of(rows, measure_id, breakdown):
    found = {}
    for *_x, row_dims, _c, _d in (r for r in rows if r[1] == measure_id):
        if tuple(d for d in DIMENSIONS if d in row_dims) == breakdown:
            found[group_label({d: row_dims[d] for d in breakdown})] = dict(row_dims)
    return found


def _read_equity_page(
    client, url, params, ledger, rows, scope, measure_id, seen_urls, *, with_csv=True
):
    response = client.get(url, params)
    assert response.status_code == 200
    seen_urls.add(url)
    page = _parse(response.content.decode())
    breakdown = tuple(params.get("breakdown", "ethnicity").split("+"))
    window = params.get("window", "12")
    labels = _groups_of(rows, measure_id, breakdown)

    def cell(label):
        return (scope, measure_id, window, label)

    for table in page.tables:
        head = table["rows"][0] if table["rows"] else []
        if head[:2] == ["Group", "Count"]:
            parts = []
            body = table["rows"][1:]
            ref_row = next((r for r in body if r[4] == "Comparison group"), None)
            for r in body:
                label = r[0]
                if label == "All groups":
                    ledger.see(cell(("total", breakdown)), _number(r[1]))
                    continue
                parts.append(cell(label))
                ledger.see(cell(label), _number(r[1]))
                dims = labels[label]
                den = _denominator(rows, scope, measure_id, window, dims)
                ledger.recover(cell(label), _from_rate(r[2], r[3], den), f"rate of {label}")
                if ref_row is not None and r is not ref_row:
                    ref_dims = labels[ref_row[0]]
                    ref_known = ledger.known(cell(ref_row[0]))
                    ledger.recover(
                        cell(label),
                        _from_ratio(
                            r[4],
                            ref_known,
                            den,
                            _denominator(rows, scope, measure_id, window, ref_dims),
                        ),
                        f"ratio of {label}",
                    )
            ledger.lines.append((cell(("total", breakdown)), parts))
        elif table["caption"].startswith("Counts by"):
            col_labels = head[1:-1]
            row_cells = []
            column_parts = defaultdict(list)
            for r in table["rows"][1:]:
                row_label, values, row_total = r[0], r[1:-1], r[-1]
                if row_label == "Total":
                    for j, v in enumerate(values):
                        key = cell(("column", breakdown, col_labels[j]))
                        ledger.see(key, _number(v))
                        ledger.lines.append((key, column_parts[j]))
                    ledger.see(cell(("total", breakdown)), _number(row_total))
                    ledger.lines.append((cell(("total", breakdown)), row_cells))
                    continue
                parts = []
                for j, v in enumerate(values):
                    label = f"{row_label}, {col_labels[j]}"
                    ledger.see(cell(label), _number(v))
                    parts.append(cell(label))
                    column_parts[j].append(cell(label))
                row_key = cell(("row", breakdown, row_label))
                ledger.see(row_key, _number(row_total))
                row_cells.append(row_key)
                ledger.lines.append((row_key, parts))
                # The one-way figure of the same group is the same count.
                ledger.lines.append((cell(row_label), [row_key]))
    if not with_csv:
        return page
    # The CSV download: the same table, read as a file.
    query = dict(params, format="csv")
    download = client.get(url, query)
    assert download.status_code == 200
    for r in csv.reader(io.StringIO(download.content.decode())):
        if len(r) < 4 or r[0] in ("Group", "Fictional demonstration data"):
            continue
        label = r[0]
        key = cell(("total", breakdown)) if label == "All groups" else cell(label)
        ledger.see(key, _number(r[1]))
        if label in labels:
            den = _denominator(rows, scope, measure_id, window, labels[label])
            ledger.recover(key, _from_rate(r[2], r[3], den), f"CSV rate of {label}")
    return page


def _hidden_truths(ledger, rows):
    """Every cell the attacker saw whose true count is not what was published."""
    out = {}
    for key, shown in ledger.published.items():
        scope, measure_id, window, label = key
        if isinstance(label, tuple):
            continue  # totals are checked through the groups they add up
        dims = None
        for bd in (("ethnicity",), ("ethnicity", "autism")):
            found = _groups_of(rows, measure_id, bd)
            if label in found:
                dims = found[label]
        true = _truth(rows, scope, measure_id, window, dims) if dims else 0
        if shown != true:
            out[key] = true
    return out


def test_a_provider_lead_cannot_recover_any_hidden_count(client, world, data):
    made, rows = data
    measure, over_time = made["measure"], made["over_time"]
    client.force_login(world.users["lead"])
    ledger = Ledger()
    seen_urls: set[str] = set()
    pages = []
    for m in (measure, over_time):
        pages += [
            (reverse("equity_web:programme-measure", args=[m.pk]), frozenset(WARDS), m.pk),
            (
                reverse("equity_web:provider-measure", args=[world.provider_a.pk, m.pk]),
                frozenset(WARDS),
                m.pk,
            ),
        ]
    for key, wm in made["wms"].items():
        pages.append(
            (reverse("equity_web:ward-measure", args=[wm.pk]), frozenset({key}), wm.measure_id)
        )
    pages.append(
        (
            reverse("equity_web:ward-measure", args=[made["wm_time"].pk]),
            frozenset({"a1"}),
            over_time.pk,
        )
    )
    reached_links: set[str] = set()
    for url, scope, measure_id in pages:
        first = _parse(client.get(url).content.decode())
        reached_links |= set(first.links)
        breakdowns = first.options.get("breakdown") or ["ethnicity"]
        for breakdown in breakdowns:
            base = {"breakdown": breakdown}
            page = _parse(client.get(url, base).content.decode())
            for window in ("12", "all"):
                for reference in page.options.get("reference", [""]):
                    params = {**base, "window": window, "reference": reference}
                    _read_equity_page(
                        client, url, params, ledger, rows, scope, measure_id, seen_urls
                    )
                for compare in page.options.get("compare", [""]):
                    params = {**base, "window": window, "compare": compare}
                    _read_equity_page(
                        client,
                        url,
                        params,
                        ledger,
                        rows,
                        scope,
                        measure_id,
                        seen_urls,
                        with_csv=False,
                    )
    # Lines across levels: the provider's figure of a group is the sum of its wards'.
    for scope, measure_id, window, label in list(ledger.published):
        if scope == frozenset(WARDS) and not isinstance(label, tuple):
            parts = [(frozenset({k}), measure_id, window, label) for k in sorted(WARDS)]
            parts = [p for p in parts if p in ledger.published] or None
            if parts:
                ledger.lines.append(((scope, measure_id, window, label), parts))
    # The overview pages: headlines carry ratios with intervals.
    for url in (
        reverse("equity_web:index"),
        reverse("equity_web:provider", args=[world.provider_a.pk]),
        reverse("equity_web:ward", args=[world.ward_a1.pk]),
        reverse("equity_web:ward", args=[world.ward_a2.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        seen_urls.add(url)
        reached_links |= set(_parse(response.content.decode()).links)
    ledger.difference()

    # Every route of the equity pages was either read or is listed as holding no figure.
    names = {p.name for p in equity_urls.urlpatterns}
    read_names = {
        "index",
        "programme-measure",
        "provider",
        "provider-measure",
        "ward",
        "ward-measure",
        "representation",  # read by tests/equity_web/test_representation.py
    }
    assert names <= read_names | set(NOT_PUBLISHED), names - read_names - set(NOT_PUBLISHED)
    # Every equity page linked from what the lead saw was read.
    for link in reached_links:
        path = link.split("?")[0]
        if path.startswith("/equity/") and not any(
            f"/{part}/" in path for part in ("figures", "national", "representation")
        ):
            assert path in seen_urls, f"an equity page linked but not read: {path}"

    hidden = _hidden_truths(ledger, rows)
    assert hidden, "the data must hold counts that disclosure control hides"
    assert any(t in (1, 2, 3, 4) for t in hidden.values())
    assert any(t in (7, 12) for t in hidden.values())
    leaks = [
        f"{sorted(key[0])} {key[3]} (window {key[2]}): true {true}; "
        + "; ".join(sorted(ledger.how[key])[:4])
        for key, true in hidden.items()
        if true in ledger.recovered.get(key, set())
    ]
    assert not leaks, "hidden counts recovered:\n" + "\n".join(leaks)
