from django import forms

from coproduce.core import uploads
from coproduce.core.forms import DateInput

from . import rules
from .groups import DIMENSION_LABELS, VALUES, value_label
from .models import DenominatorKind

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_GROUP_CSV_BYTES = 2 * 1024 * 1024

#: One-way breakdowns the entry form offers (crossings come in through a CSV file).
ENTRY_DIMENSIONS = [d for d in DIMENSION_LABELS if d != "ethnicity_detailed"] + [
    "ethnicity_detailed"
]


class BreakdownForm(forms.Form):
    """Counts and denominators for every group of one breakdown in one period."""

    period_start = forms.DateField(
        label="Period starting",
        widget=DateInput,
        error_messages={
            "required": "Enter the date the period starts",
            "invalid": "Enter the date the period starts, like 2025-01-01",
        },
    )
    denominator_kind = forms.ChoiceField(
        label="What the denominator counts",
        choices=DenominatorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the denominator counts"},
    )

    def __init__(self, *args, ward_measure, dimension, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward_measure = ward_measure
        self.dimension = dimension
        self.fields["period_start"].help_text = (
            "The first day of the month."
            if ward_measure.measure.frequency == "monthly"
            else "The Monday the week starts."
        )
        self.groups = []
        for i, (value, _label) in enumerate(VALUES[dimension].items()):
            label = value_label(dimension, value)
            count = forms.IntegerField(
                label=f"{label}: count",
                required=False,
                error_messages={"invalid": f"Enter the count for {label} as a whole number"},
            )
            denominator = forms.IntegerField(
                label=f"{label}: denominator",
                required=False,
                error_messages={"invalid": f"Enter the denominator for {label} as a whole number"},
            )
            self.fields[f"count_{i}"] = count
            self.fields[f"denominator_{i}"] = denominator
            self.groups.append((value, label, f"count_{i}", f"denominator_{i}"))

    def clean_period_start(self):
        day = self.cleaned_data["period_start"]
        wrong = rules.period_problem(self.ward_measure.measure.frequency, day)
        if wrong:
            raise forms.ValidationError(wrong[0].upper() + wrong[1:])
        return day

    def clean(self):
        cleaned = super().clean()
        any_group = False
        for _value, label, c, d in self.groups:
            count, denominator = cleaned.get(c), cleaned.get(d)
            c_bad, d_bad = c in self.errors, d in self.errors
            if not (c_bad or d_bad) and count is None and denominator is None:
                continue
            any_group = True
            if not c_bad:
                if count is None:
                    if not d_bad:
                        self.add_error(c, f"Enter the count for {label}, or clear its denominator")
                elif wrong := rules.count_problem(count, label):
                    self.add_error(c, wrong)
            if not d_bad:
                if denominator is None:
                    if not c_bad:
                        self.add_error(d, f"Enter the denominator for {label}, or clear its count")
                elif wrong := rules.denominator_problem(denominator, label):
                    self.add_error(d, wrong)
            if c not in self.errors and d not in self.errors:
                wrong = rules.count_within_denominator(count, denominator, label)
                if wrong:
                    self.add_error(c, wrong)
        if not any_group:
            raise forms.ValidationError("Enter a count and a denominator for at least one group")
        return cleaned

    def items(self) -> list[dict]:
        out = []
        for value, _label, c, d in self.groups:
            if self.cleaned_data.get(c) is None:
                continue
            item = dict.fromkeys(DIMENSION_LABELS)
            item[self.dimension] = value
            item.update(
                period_start=self.cleaned_data["period_start"],
                count=self.cleaned_data[c],
                denominator=self.cleaned_data[d],
                denominator_kind=self.cleaned_data["denominator_kind"],
            )
            out.append(item)
        return out


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        error_messages={
            "required": "Choose a CSV file to upload",
            "empty": "The file you chose is empty",
        },
    )

    max_bytes = MAX_GROUP_CSV_BYTES

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text = uploads.read_upload(upload, max_bytes=self.max_bytes, extensions=())
        except uploads.UploadProblems as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


class NationalUploadForm(CsvUploadForm):
    max_bytes = MAX_UPLOAD_BYTES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "The 'Mental Health Act Statistics, Annual Figures' data file, as a CSV file. "
            "You will be asked before a year already held is replaced."
        )
