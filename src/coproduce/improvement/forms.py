from datetime import date
from decimal import Decimal

from django import forms
from django.db.models import Q

from coproduce.accounts.models import User
from coproduce.core import uploads
from coproduce.core.forms import DateInput
from coproduce.core.messages import one_message
from coproduce.programme.models import Ward

from . import rules, services
from .models import (
    ACT_HINTS,
    SCORE_CHOICES,
    SCORE_MEANINGS,
    ActDecision,
    ChangeIdea,
    Driver,
    DriverKind,
    FocusGroup,
    Measure,
    MHAPrinciple,
    PDSACycle,
    PhaseBreak,
    ProgressScore,
    Project,
    ProjectMember,
    WardMeasure,
)

DATE_ERRORS = {"invalid": "Enter a real date"}


class CheckboxesMixin:
    """NHS checkboxes for many-choice fields.

    The shared ``field_params`` treats ``CheckboxSelectMultiple`` (a ``RadioSelect``
    subclass) as radios; templates call ``form.checkbox_params(name)`` instead.
    """

    def checkbox_params(self, name, legend_size="s"):
        bf = self[name]
        selected = {str(v.pk if hasattr(v, "pk") else v) for v in (bf.value() or [])}
        return {
            "idPrefix": bf.auto_id,
            "name": bf.html_name,
            "fieldset": {"legend": {"text": str(bf.label), "size": legend_size}},
            "hint": {"text": str(bf.help_text)} if bf.help_text else None,
            "errorMessage": {"text": one_message(bf.errors, bf.field, name)} if bf.errors else None,
            "items": [
                {"value": str(value), "text": str(text), "checked": str(value) in selected}
                for value, text in bf.field.choices
            ],
        }


def people_near(provider_id, ward_id):
    """People with a role on this ward or across its provider."""
    q = Q(memberships__provider_id=provider_id, memberships__ward__isnull=True)
    if ward_id:
        q |= Q(memberships__ward_id=ward_id)
    return User.objects.filter(q, is_active=True).distinct().order_by("full_name")


class ProjectForm(CheckboxesMixin, forms.ModelForm):
    focus_groups = forms.MultipleChoiceField(
        label="Who the project is for",
        choices=FocusGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply: people are often more than one of these.",
        error_messages={"required": "Choose at least one group the project is for"},
    )
    mha_principles = forms.MultipleChoiceField(
        label="Mental Health Act principles it advances",
        choices=MHAPrinciple.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Project
        fields = [
            "ward",
            "title",
            "problem",
            "aim_what",
            "aim_for_whom",
            "aim_how_much",
            "aim_by_when",
            "focus_groups",
            "mha_principles",
            "shared_to_library",
        ]
        widgets = {"aim_by_when": DateInput, "problem": forms.Textarea(attrs={"rows": 4})}
        labels = {"ward": "Ward or service"}
        error_messages = {
            "ward": {"required": "Choose the ward or service"},
            "title": {"required": "Enter a title for the project"},
            "problem": {"required": "Describe the problem in plain words"},
            "aim_what": {"required": "Say what will improve"},
            "aim_for_whom": {"required": "Say who it will improve things for"},
            "aim_how_much": {"required": "Say by how much"},
            "aim_by_when": {"required": "Enter the date you aim to get there by"} | DATE_ERRORS,
        }

    def __init__(self, *args, wards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards if wards is not None else Ward.objects.none()
        self.fields["ward"].required = True
        self.fields["ward"].empty_label = None
        self.fields["ward"].label_from_instance = lambda w: f"{w.name} ({w.provider.name})"
        if self.instance.pk:
            self.fields.pop("ward")

    def clean_aim_by_when(self):
        day = self.cleaned_data["aim_by_when"]
        if not self.instance.pk and day < date.today():
            raise forms.ValidationError("The date to reach the aim must be today or later")
        return day

    def save(self, commit=True):
        project = super().save(commit=False)
        if project.ward_id and not project.provider_id:
            project.provider_id = project.ward.provider_id
        if commit:
            project.save()
        return project


class ProgressScoreForm(forms.ModelForm):
    score = forms.TypedChoiceField(
        label="Progress score",
        choices=[(str(v), f"{label} – {SCORE_MEANINGS[v]}") for v, label in SCORE_CHOICES],
        coerce=Decimal,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score", "invalid_choice": "Choose a score"},
    )

    class Meta:
        model = ProgressScore
        fields = ["score", "recorded_on", "note"]
        widgets = {"recorded_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"recorded_on": {"required": "Enter the date"} | DATE_ERRORS}

    def clean_recorded_on(self):
        day = self.cleaned_data["recorded_on"]
        if day > date.today():
            raise forms.ValidationError("The date cannot be in the future")
        return day


class ProjectMemberForm(forms.ModelForm):
    class Meta:
        model = ProjectMember
        fields = ["user", "role_note", "lived_experience"]
        labels = {"user": "Person"}
        error_messages = {"user": {"required": "Choose a person"}}

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["user"].queryset = people_near(project.provider_id, project.ward_id).exclude(
            qi_memberships__project=project
        )
        self.fields["user"].empty_label = "Choose a person"
        self.fields["user"].help_text = "People with a role on this ward or its provider."


class DriverForm(forms.ModelForm):
    class Meta:
        model = Driver
        fields = ["kind", "parent", "text", "order"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Choose primary or secondary driver"},
            "text": {"required": "Enter the driver"},
            "order": {"invalid": "Enter the position as a whole number"},
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        parents = project.drivers.filter(kind=DriverKind.PRIMARY)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False
        self.fields["parent"].empty_label = "None (it is a primary driver)"
        self.fields["parent"].help_text = "Only for a secondary driver."
        self.fields["order"].required = False

    def clean_order(self):
        return self.cleaned_data.get("order") or 1

    def clean(self):
        data = super().clean()
        kind, parent = data.get("kind"), data.get("parent")
        if kind == DriverKind.SECONDARY and not parent:
            self.add_error("parent", "Choose the primary driver this one belongs to")
        if kind == DriverKind.PRIMARY and parent:
            self.add_error(
                "parent", "A primary driver does not belong to another driver: choose None"
            )
        if kind == DriverKind.SECONDARY and self.instance.pk and self.instance.children.exists():
            self.add_error(
                "kind", "This driver has secondary drivers under it, so it must stay primary"
            )
        return data


class ChangeIdeaForm(forms.ModelForm):
    class Meta:
        model = ChangeIdea
        fields = ["title", "description", "driver", "source", "co_produced", "status"]
        widgets = {
            "source": forms.RadioSelect,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter the change idea"},
            "source": {"required": "Choose where the idea came from"},
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["driver"].queryset = project.drivers.all()
        self.fields["driver"].required = False
        self.fields["driver"].empty_label = "Not linked to a driver yet"
        self.fields["driver"].label_from_instance = lambda d: (
            f"{d.text} ({d.get_kind_display().lower()})"
        )


class CyclePlanForm(CheckboxesMixin, forms.ModelForm):
    class Meta:
        model = PDSACycle
        fields = [
            "objective",
            "question",
            "prediction",
            "plan_who",
            "plan_where",
            "plan_when",
            "start_date",
            "end_date",
            "previous",
            "measures",
            "lived_experience_people",
            "other_lived_experience_count",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "objective": forms.Textarea(attrs={"rows": 2}),
            "question": forms.Textarea(attrs={"rows": 2}),
            "prediction": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.CheckboxSelectMultiple,
            "lived_experience_people": forms.CheckboxSelectMultiple,
        }
        labels = {"plan_who": "Who will do it", "plan_where": "Where", "plan_when": "When"}
        help_texts = {"end_date": "Optional. When you expect to study the results."}
        error_messages = {
            "objective": {"required": "Enter the objective"},
            "question": {"required": "Enter the question this cycle answers"},
            "prediction": {"required": "Enter your prediction"},
            "start_date": {"required": "Enter the start date"} | DATE_ERRORS,
            "end_date": DATE_ERRORS,
            "other_lived_experience_count": {
                "invalid": "Enter a whole number, like 2",
                "min_value": "The number cannot be negative",
            },
        }

    def __init__(self, *args, idea=None, **kwargs):
        super().__init__(*args, **kwargs)
        project = idea.project
        self.instance.change_idea = idea
        cycles = idea.cycles.all()
        if self.instance.pk:
            cycles = cycles.exclude(pk=self.instance.pk)
        self.fields["previous"].queryset = cycles
        self.fields["previous"].required = False
        self.fields["previous"].empty_label = "None: this is the first"
        self.fields["previous"].label_from_instance = lambda c: f"Cycle {c.number}"
        wms = WardMeasure.objects.select_related("measure")
        self.fields["measures"].queryset = (
            wms.filter(ward_id=project.ward_id)
            if project.ward_id
            else wms.filter(ward__provider_id=project.provider_id)
        )
        self.fields["measures"].label_from_instance = lambda wm: wm.measure.name
        self.fields["measures"].help_text = "They show this cycle on their charts."
        self.fields["lived_experience_people"].queryset = (
            people_near(project.provider_id, project.ward_id)
            .filter(
                Q(memberships__role="lived_experience_partner")
                | Q(qi_memberships__project=project, qi_memberships__lived_experience=True)
            )
            .distinct()
        )
        self.fields["other_lived_experience_count"].required = False
        _tick_existing(self, "measures", "lived_experience_people")

    def clean_other_lived_experience_count(self):
        return self.cleaned_data.get("other_lived_experience_count") or 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date")
        return data


def _tick_existing(form, *names):
    """Checkboxes compare values as text: give many-to-many initials as primary keys."""
    if form.instance.pk and not form.is_bound:
        for name in names:
            form.initial[name] = [obj.pk for obj in getattr(form.instance, name).all()]


class CycleDoForm(forms.ModelForm):
    class Meta:
        model = PDSACycle
        fields = ["what_happened"]
        widgets = {"what_happened": forms.Textarea(attrs={"rows": 5})}

    def clean_what_happened(self):
        text = self.cleaned_data["what_happened"].strip()
        if not text:
            raise forms.ValidationError("Describe what happened")
        return text


class CycleStudyForm(CheckboxesMixin, forms.ModelForm):
    class Meta:
        model = PDSACycle
        fields = ["study_results", "measures"]
        widgets = {
            "study_results": forms.Textarea(attrs={"rows": 5}),
            "measures": forms.CheckboxSelectMultiple,
        }
        labels = {"measures": "Measures linked to this cycle"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        project = self.instance.change_idea.project
        wms = WardMeasure.objects.select_related("measure")
        self.fields["measures"].queryset = (
            wms.filter(ward_id=project.ward_id)
            if project.ward_id
            else wms.filter(ward__provider_id=project.provider_id)
        )
        self.fields["measures"].label_from_instance = lambda wm: wm.measure.name
        _tick_existing(self, "measures")

    def clean_study_results(self):
        text = self.cleaned_data["study_results"].strip()
        if not text:
            raise forms.ValidationError("Describe the results against your prediction")
        return text


class CycleActForm(forms.ModelForm):
    class Meta:
        model = PDSACycle
        fields = ["act", "act_notes", "end_date"]
        widgets = {
            "act": forms.RadioSelect,
            "end_date": DateInput,
            "act_notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"end_date": "When the cycle finished."}
        error_messages = {"end_date": {"required": "Enter the date the cycle ended"} | DATE_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["act"].required = True
        self.fields["act"].choices = ActDecision.choices
        self.fields["act"].error_messages["required"] = "Choose adopt, adapt or abandon"
        self.fields["end_date"].required = True
        self.item_hints = {str(k): v for k, v in ACT_HINTS.items()}

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end and end < self.instance.start_date:
            raise forms.ValidationError("The end date must be on or after the start date")
        return end


class TaskForm(forms.Form):
    text = forms.CharField(label="Task", max_length=300, required=False)
    owner = forms.CharField(label="Who will do it", max_length=150, required=False)
    done = forms.BooleanField(label="Done", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("text") and data.get("owner"):
            self.add_error("text", "Enter the task, or clear who will do it")
        return data


# Capped: a tampered count never builds more forms than a plan can hold.
TaskFormSet = forms.formset_factory(TaskForm, extra=0, max_num=30, absolute_max=30)


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "name",
            "definition",
            "measure_type",
            "unit",
            "improvement",
            "frequency",
            "is_rate",
            "numerator_label",
            "denominator_label",
            "multiplier",
        ]
        widgets = {
            "measure_type": forms.RadioSelect,
            "improvement": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "definition": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "numerator_label": "What the numerator counts",
            "denominator_label": "What the denominator counts",
        }
        error_messages = {
            "name": {"required": "Enter the measure's name"},
            "definition": {"required": "Enter the operational definition"},
            "measure_type": {"required": "Choose the type of measure"},
            "unit": {"required": "Enter the unit"},
            "improvement": {"required": "Choose which way is better"},
            "frequency": {"required": "Choose how often it is measured"},
            "multiplier": {"invalid": "Enter the multiplier as a whole number, like 100"},
        }

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward = ward
        if ward is not None:
            self.instance.ward = ward
            self.instance.provider_id = ward.provider_id

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Measure.objects.filter(name__iexact=name).filter(
            Q(provider__isnull=True) | Q(ward=self.ward) if self.ward else Q(provider__isnull=True)
        )
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a measure with this name")
        return name


class AdoptForm(forms.ModelForm):
    class Meta:
        model = WardMeasure
        fields = ["measure", "target"]
        labels = {"measure": "Measure from the catalogue"}
        error_messages = {
            "measure": {"required": "Choose a measure"},
            "target": {"invalid": "Enter the target as a number, like 80"},
        }

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.ward = ward
        self.fields["measure"].queryset = Measure.objects.filter(
            Q(provider__isnull=True) | Q(ward=ward) | Q(provider=ward.provider, ward__isnull=True)
        ).exclude(ward_measures__ward=ward)
        self.fields["measure"].empty_label = "Choose a measure"

    def validate_unique(self):
        pass  # the measure list already leaves out what the ward has adopted


class WardMeasureForm(forms.ModelForm):
    class Meta:
        model = WardMeasure
        fields = ["target", "active"]
        error_messages = {"target": {"invalid": "Enter the target as a number, like 80"}}


class PhaseBreakForm(forms.ModelForm):
    class Meta:
        model = PhaseBreak
        fields = ["starts_on", "reason"]
        widgets = {"starts_on": DateInput}
        error_messages = {
            "starts_on": {"required": "Enter the date the new phase starts"} | DATE_ERRORS,
            "reason": {"required": "Say what changed: a new phase needs a real reason"},
        }

    def __init__(self, *args, ward_measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.ward_measure = ward_measure

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        wm = self.instance.ward_measure
        if wm.phase_breaks.filter(starts_on=day).exists():
            raise forms.ValidationError("There is already a new phase starting on this date")
        points = list(wm.points.values_list("period_start", flat=True))
        if points and not (points[0] < day <= points[-1]):
            raise forms.ValidationError(
                "Choose a date after the first figure and on or before the latest one"
            )
        return day

    def validate_unique(self):
        pass

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 5:
            raise forms.ValidationError("Say what changed, in a few words")
        return reason


class PeriodChoiceForm(forms.Form):
    period = forms.DateField(
        label="Any day in the period",
        widget=DateInput,
        help_text="Weekly figures are filed under the Monday the week starts; monthly figures "
        "under the 1st of the month.",
        error_messages={"required": "Enter a date in the period", "invalid": "Enter a real date"},
    )

    def clean_period(self):
        return _entry_day(self.cleaned_data["period"])


def _entry_day(day):
    """A day the entry form may be opened for: the rules refuse the future and before 2000
    (whether each measure's period is over is checked measure by measure)."""
    if day > date.today():
        raise forms.ValidationError("The period cannot be in the future")
    if day < rules.EARLIEST:
        raise forms.ValidationError("The period cannot be before 2000: check the year")
    return day


class DataEntryForm(forms.Form):
    """One row per adopted measure for one period. A blank row leaves that measure alone."""

    period = forms.DateField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose the period", "invalid": "Enter a real date"},
    )

    def clean_period(self):
        return _entry_day(self.cleaned_data["period"])

    def __init__(self, *args, ward_measures=(), existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward_measures = list(ward_measures)
        self.existing = existing or {}
        self.rows = []
        for wm in self.ward_measures:
            m = wm.measure
            prefix = f"m{wm.id}"
            point = self.existing.get(wm.id)
            names = {}
            if m.is_rate:
                for key, label in (
                    ("numerator", m.numerator_label),
                    ("denominator", m.denominator_label),
                ):
                    self.fields[f"{prefix}_{key}"] = forms.CharField(
                        label=label.capitalize() if label else key.capitalize(),
                        required=False,
                        widget=forms.NumberInput,
                    )
                    names[key] = f"{prefix}_{key}"
                    if point is not None and getattr(point, key) is not None and not self.is_bound:
                        self.initial[names[key]] = _plain(getattr(point, key))
            else:
                self.fields[f"{prefix}_value"] = forms.CharField(
                    label=f"Value ({m.unit})", required=False, widget=forms.NumberInput
                )
                names["value"] = f"{prefix}_value"
                if point is not None and not self.is_bound:
                    self.initial[names["value"]] = _plain(point.value)
            self.rows.append({"wm": wm, "names": names, "existing": point})

    def clean(self):
        data = super().clean()
        self.to_save = []
        period = data.get("period")
        for row in self.rows:
            wm = row["wm"]
            raw = {k: str(self.data.get(self.add_prefix(n), "")) for k, n in row["names"].items()}
            if not any(v.strip() for v in raw.values()):
                continue
            parsed = {}
            bad = False
            for key, name in row["names"].items():
                try:
                    parsed[key] = rules.parse_number(raw[key])
                except rules.FigureError as exc:
                    self.add_error(name, f"{self.fields[name].label} {exc}")
                    bad = True
            if bad:
                continue
            first = next(iter(row["names"].values()))
            try:
                figure = rules.check_figure(
                    wm.measure,
                    parsed.get("value"),
                    parsed.get("numerator"),
                    parsed.get("denominator"),
                )
                start = (
                    rules.check_period(wm.measure.frequency, period, exact=False)
                    if period
                    else None
                )
            except rules.FigureError as exc:
                self.add_error(first, f"{wm.measure.name}: {str(exc)[:1].upper()}{str(exc)[1:]}")
                continue
            if start is not None:
                self.to_save.append(
                    services.ImportRow(
                        0, wm, start, figure.value, figure.numerator, figure.denominator
                    )
                )
        if not self.errors and not self.to_save:
            first = next(iter(self.rows[0]["names"].values())) if self.rows else None
            self.add_error(first, "Enter at least one figure")
        return data


def _plain(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: measure, period (like 2026-03-02 or 02/03/2026), value, and "
        "optionally numerator and denominator. Up to 200 KB.",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.text = uploads.read_upload(upload, max_bytes=services.MAX_UPLOAD_BYTES)
        except uploads.UploadProblems as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


class ConfirmImportForm(forms.Form):
    replace = forms.BooleanField(
        label="Replace the existing values for these periods", required=False
    )


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    focus_group = forms.ChoiceField(
        label="Focus group", required=False, choices=[("", "Any")] + FocusGroup.choices
    )
    principle = forms.ChoiceField(
        label="Mental Health Act principle",
        required=False,
        choices=[("", "Any")] + MHAPrinciple.choices,
    )
    service_type = forms.ChoiceField(label="Type of service", required=False)
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[
            ("", "Any"),
            ("adopt", "Adopted"),
            ("adapt", "Adapted"),
            ("abandon", "Abandoned"),
            ("none", "No decision yet"),
        ],
    )
    co_produced = forms.BooleanField(label="Co-produced only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from coproduce.programme.models import ServiceType

        self.fields["service_type"].choices = [("", "Any")] + ServiceType.choices
