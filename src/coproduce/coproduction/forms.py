from decimal import Decimal

from django import forms
from django.utils import timezone

from coproduce.core.forms import DateInput

from . import rules
from .instrument import (
    LIVED_SIDE,
    PERSPECTIVE_EASY,
    RUNG_EASY,
    RUNG_MEANINGS,
    Perspective,
    Rung,
)
from .models import (
    Action,
    ActionStatus,
    Adjustment,
    AssessmentRound,
    Characteristic,
    Involvement,
    Outcome,
    PartnerProfile,
    PaymentRate,
)

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
RECEIPT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
RUNG_CHOICES = [(str(r.value), r.label) for r in Rung]
RUNG_HINTS = {str(k): v for k, v in RUNG_MEANINGS.items()}


def validate_receipt(upload) -> None:
    """A receipt must be a real PDF, JPEG or PNG file of 5 MB or less."""
    if upload.size > MAX_RECEIPT_BYTES:
        raise forms.ValidationError("The receipt must be 5 MB or smaller")
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in RECEIPT_SIGNATURES:
        raise forms.ValidationError("The receipt must be a PDF, JPEG or PNG file")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in RECEIPT_SIGNATURES[extension]):
        raise forms.ValidationError(
            "The receipt must be a PDF, JPEG or PNG file. This file is a different kind"
        )


class RoundForm(forms.ModelForm):
    class Meta:
        model = AssessmentRound
        fields = ["provider", "ward", "kind", "opens_on", "closes_on"]
        widgets = {"kind": forms.RadioSelect, "opens_on": DateInput, "closes_on": DateInput}
        error_messages = {
            "provider": {"required": "Choose the provider"},
            "kind": {"required": "Choose the type of round"},
            "opens_on": {"required": "Enter the opening date", "invalid": "Enter a real date"},
            "closes_on": {"required": "Enter the closing date", "invalid": "Enter a real date"},
        }

    def __init__(self, *args, providers=None, wards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["ward"].queryset = wards.select_related("provider")
        self.fields["ward"].required = False
        self.fields["ward"].empty_label = "The whole provider"
        self.fields["ward"].label_from_instance = lambda w: f"{w.name} ({w.provider.name})"

    def clean(self):
        data = super().clean()
        provider, ward = data.get("provider"), data.get("ward")
        if provider and ward and ward.provider_id != provider.id:
            self.add_error("ward", "Choose a ward of the chosen provider, or the whole provider")
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        elif closes and closes < timezone.localdate():
            self.add_error("closes_on", "The closing date must be today or in the future")
        return data


class StartForm(forms.Form):
    perspective = forms.ChoiceField(
        label="Which of these best describes you?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the one that best describes you"},
    )

    def __init__(self, *args, easy=False, **kwargs):
        super().__init__(*args, **kwargs)
        if easy:
            self.fields["perspective"].label = "Who are you?"
            self.fields["perspective"].choices = list(PERSPECTIVE_EASY.items())
            self.fields["perspective"].error_messages["required"] = "Choose who you are"


class AnswerStepForm(forms.Form):
    """The answers for one page: one domain's statements, or (easy read) one statement."""

    def __init__(self, *args, statements=(), easy=False, place="the ward", **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        self.easy = easy
        for s in self.statements:
            short = s.easy if easy else s.text
            self.fields[f"{s.key}-as_is"] = forms.TypedChoiceField(
                choices=RUNG_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                label="How is it now?" if easy else f"Where is {place} today ('as is')?",
                error_messages={
                    "required": (
                        "Choose how it is now"
                        if easy
                        else f"Choose where {place} is today for: {short}"
                    )
                },
            )
            self.fields[f"{s.key}-to_be"] = forms.TypedChoiceField(
                choices=RUNG_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                label="How should it be?" if easy else f"Where should {place} be ('to be')?",
                error_messages={
                    "required": (
                        "Choose how it should be"
                        if easy
                        else f"Choose where {place} should be for: {short}"
                    )
                },
            )
            self.fields[f"{s.key}-comment"] = forms.CharField(
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                label="Anything you want to add? (optional)" if easy else "Comment (optional)",
                help_text=rules.COMMENT_WARNING,
                error_messages={"max_length": "Keep your comment to 2,000 characters or fewer"},
            )

    def rows(self):
        for s in self.statements:
            yield s, self[f"{s.key}-as_is"], self[f"{s.key}-to_be"], self[f"{s.key}-comment"]

    def answers(self) -> dict:
        return {
            s.key: (
                self.cleaned_data[f"{s.key}-as_is"],
                self.cleaned_data[f"{s.key}-to_be"],
                self.cleaned_data[f"{s.key}-comment"].strip(),
            )
            for s in self.statements
        }

    @staticmethod
    def rung_items(bound_field, easy):
        current = str(bound_field.value() or "")
        for value, label in RUNG_CHOICES:
            words, sentence = RUNG_EASY[int(value)]
            yield {
                "value": value,
                "id": bound_field.auto_id if value == "1" else f"{bound_field.auto_id}-{value}",
                "label": words if easy else label,
                "hint": sentence if easy else RUNG_HINTS[value],
                "checked": value == current,
            }


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["domain", "description", "owner", "due_on", "status"]
        widgets = {
            "domain": forms.RadioSelect,
            "status": forms.RadioSelect,
            "due_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "domain": {"required": "Choose the gap this action closes"},
            "description": {"required": "Say what will be done"},
            "owner": {"required": "Say who owns the action"},
            "due_on": {"required": "Enter the due date", "invalid": "Enter a real date"},
            "status": {"required": "Choose the status"},
        }


class ActionReviewForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["status", "review_note"]
        widgets = {"status": forms.RadioSelect, "review_note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"status": {"required": "Choose the status"}}

    def clean(self):
        data = super().clean()
        if (
            data.get("status") in (ActionStatus.STOPPED,)
            and not (data.get("review_note") or "").strip()
        ):
            self.add_error("review_note", "Say why the action was stopped")
        return data


class InvolvementForm(forms.ModelForm):
    place = forms.ChoiceField(
        label="Where",
        error_messages={
            "required": "Choose the ward or provider",
            "invalid_choice": "Choose a ward or provider you work with",
        },
    )
    adjustments = forms.MultipleChoiceField(
        label="Accessibility adjustments made",
        choices=Adjustment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    i_took_part = forms.BooleanField(
        label="I took part as a lived experience partner",
        required=False,
        help_text="Adds you to the people who took part, so you can claim payment.",
    )
    name_me = forms.BooleanField(
        label="You can name me as taking part",
        required=False,
        help_text="If you leave this empty you are counted, but not named.",
    )
    not_a_duplicate = forms.BooleanField(
        label="This is a different involvement, log it as well",
        required=False,
    )

    class Meta:
        model = Involvement
        fields = [
            "occurred_on",
            "title",
            "project",
            "pdsa_cycle",
            "stage",
            "activity",
            "rung",
            "hours",
            "lived_experience_count",
            "carer_count",
            "practitioner_count",
            "staff_count",
            "leader_count",
            "you_said",
            "we_did",
            "outcome",
            "why_not",
        ]
        widgets = {
            "occurred_on": DateInput,
            "stage": forms.RadioSelect,
            "activity": forms.RadioSelect,
            "rung": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "hours": forms.NumberInput(attrs={"step": "0.25"}),
            "you_said": forms.Textarea(attrs={"rows": 3}),
            "we_did": forms.Textarea(attrs={"rows": 3}),
            "why_not": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "lived_experience_count": "People with lived experience of detention (not named above)",
            "carer_count": "Carers",
            "practitioner_count": "Lived experience practitioners (not named above)",
            "staff_count": "Ward staff",
            "leader_count": "Leaders",
            "you_said": "You said: what people with lived experience said or asked for",
            "we_did": "We did: what changed because of it",
            "outcome": "What came of it",
            "why_not": "Why it could not change",
        }
        help_texts = {
            "hours": "How long it lasted, in hours. For example 1.5 for an hour and a half.",
            "why_not": "Needed if nothing could change. People have a right to know why.",
        }
        error_messages = {
            "occurred_on": {"required": "Enter the date", "invalid": "Enter a real date"},
            "title": {"required": "Say what the involvement was about"},
            "stage": {"required": "Choose the stage"},
            "activity": {"required": "Choose the activity"},
            "rung": {"required": "Choose how far up the ladder it reached"},
            "hours": {
                "required": "Enter how many hours it lasted",
                "invalid": "Enter the hours as a number, like 1.5",
                "min_value": "Enter at least 0.25 hours",
                "max_value": "Enter 12 hours or fewer. Log each day of longer work on its own",
                "max_digits": "Enter 12 hours or fewer",
                "max_decimal_places": "Enter the hours to 2 decimal places at most",
            },
            "outcome": {"required": "Choose what came of it"},
        }

    def __init__(self, *args, providers=(), wards=(), projects=None, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose where")]
        for provider in providers:
            choices.append((f"p{provider.pk}", f"{provider.name} (whole provider)"))
        for ward in wards:
            choices.append((f"w{ward.pk}", f"{ward.name}, {ward.provider.name}"))
        self.fields["place"].choices = choices
        self.fields["place"].widget = forms.Select()
        self.providers = {p.pk: p for p in providers}
        self.wards = {w.pk: w for w in wards}
        if self.instance.pk:
            self.fields["place"].initial = (
                f"w{self.instance.ward_id}"
                if self.instance.ward_id
                else f"p{self.instance.provider_id}"
            )
            self.fields["adjustments"].initial = self.instance.adjustments
            del self.fields["i_took_part"], self.fields["name_me"]
        self.locked = rules.is_locked(self.instance)
        if self.locked:
            for name in rules.LOCKED_FIELDS:
                self.fields[name].disabled = True
        self.duplicates = []
        self.fields["project"].queryset = projects
        self.fields["project"].required = False
        self.fields["project"].empty_label = "None"
        self.fields["pdsa_cycle"].queryset = cycles.select_related("change_idea")
        self.fields["pdsa_cycle"].required = False
        self.fields["pdsa_cycle"].empty_label = "None"
        self.fields["rung"].choices = RUNG_CHOICES
        self.rung_hints = RUNG_HINTS
        for name in (
            "lived_experience_count",
            "carer_count",
            "practitioner_count",
            "staff_count",
            "leader_count",
        ):
            field = self.fields[name]
            field.required = False
            field.widget = forms.NumberInput(attrs={"inputmode": "numeric"})
            field.error_messages["invalid"] = "Enter a whole number, like 3"
            field.error_messages["min_value"] = "Enter 0 or more"

    def clean_place(self):
        value = self.cleaned_data["place"]
        kind, _, pk = value[:1], None, value[1:]
        try:
            pk = int(pk)
        except ValueError as exc:
            raise forms.ValidationError("Choose the ward or provider") from exc
        if kind == "w" and pk in self.wards:
            return (self.wards[pk].provider, self.wards[pk])
        if kind == "p" and pk in self.providers:
            return (self.providers[pk], None)
        raise forms.ValidationError("Choose a ward or provider you work with")

    def clean(self):
        data = super().clean()
        for name in (
            "lived_experience_count",
            "carer_count",
            "practitioner_count",
            "staff_count",
            "leader_count",
        ):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        place = data.get("place")
        project, cycle = data.get("project"), data.get("pdsa_cycle")
        if place and project:
            provider, ward = place
            if project.provider_id != provider.id or (
                ward and project.ward_id not in (None, ward.id)
            ):
                self.add_error("project", "Choose a project of the same ward or provider")
        if cycle and project and cycle.change_idea.project_id != project.id:
            self.add_error("pdsa_cycle", "Choose a PDSA cycle of the chosen project")
        if cycle and not project:
            self.add_error("project", "Choose the project the PDSA cycle belongs to")
        outcome = data.get("outcome")
        if outcome == Outcome.NOT_CHANGED and not (data.get("why_not") or "").strip():
            self.add_error("why_not", "Say why it could not change")
        if outcome in (Outcome.CHANGED, Outcome.PARTLY) and not (data.get("we_did") or "").strip():
            self.add_error("we_did", "Say what changed")
        if data.get("name_me") and not data.get("i_took_part"):
            self.add_error("i_took_part", "Tick this if you took part and want to be named")
        for name, check in (
            ("hours", rules.check_hours),
            ("occurred_on", rules.check_not_future),
        ):
            if data.get(name) is not None and not self.locked:
                try:
                    check(data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        if place and data.get("occurred_on") and data.get("title"):
            self.duplicates = list(
                rules.likely_duplicates(
                    place[0], place[1], data["occurred_on"], data["title"], self.instance.pk
                )[:3]
            )
            if self.duplicates and not data.get("not_a_duplicate"):
                self.add_error(
                    "not_a_duplicate",
                    "This involvement may already be logged for the same place, date and title. "
                    "Check the log, or tick the box to log it as well",
                )
        return data

    def save(self, commit=True):
        involvement = super().save(commit=False)
        involvement.provider, involvement.ward = self.cleaned_data["place"]
        involvement.adjustments = list(self.cleaned_data.get("adjustments") or [])
        if commit:
            involvement.save()
        return involvement


class JoinForm(forms.Form):
    perspective = forms.ChoiceField(
        label="You took part as",
        choices=[(k, v) for k, v in Perspective.choices if k in LIVED_SIDE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you took part"},
    )
    named = forms.BooleanField(
        label="You can name me as taking part",
        required=False,
        help_text="If you leave this empty you are counted, but not named.",
    )


class ClaimForm(forms.Form):
    rate_kind = forms.ChoiceField(
        label="What are you claiming?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are claiming"},
    )
    expense_description = forms.CharField(
        label="Expense: what it was for (optional)",
        required=False,
        max_length=200,
        help_text="For example, a return bus ticket. You can add more expenses later.",
    )
    expense_amount = forms.DecimalField(
        label="Expense amount in pounds",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the amount as a number, like 4.50",
            "min_value": "Enter an amount of at least 1p",
            "max_decimal_places": "Enter the amount in pounds and pence, like 4.50",
            "max_digits": "Enter an amount under £1,000,000",
        },
    )
    expense_receipt = forms.FileField(
        label="Receipt (PDF, JPEG or PNG, up to 5 MB)",
        required=False,
        error_messages={"empty": "The receipt file is empty"},
    )
    acknowledge = forms.BooleanField(
        label="I have read this. I understand the payment is taxable and may affect my benefits.",
        error_messages={"required": "Confirm you have read about tax and benefits"},
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {o["kind"]: o for o in options}
        self.fields["rate_kind"].choices = [
            (o["kind"], f"{o['label']}: £{o['amount']}") for o in options
        ]
        self.rate_hints = {
            o["kind"]: (
                f"{o['units']:g} hours at £{o['rate'].amount} an hour"
                if o["kind"] == "hourly"
                else f"£{o['rate'].amount}"
            )
            for o in options
        }

    def clean_expense_receipt(self):
        upload = self.cleaned_data.get("expense_receipt")
        if upload:
            validate_receipt(upload)
        return upload

    def clean(self):
        data = super().clean()
        has = [
            bool((data.get("expense_description") or "").strip()),
            data.get("expense_amount") is not None,
            bool(data.get("expense_receipt")),
        ]
        if any(has) and not all(has):
            for present, name, message in zip(
                has,
                ["expense_description", "expense_amount", "expense_receipt"],
                [
                    "Say what the expense was for",
                    "Enter the expense amount",
                    "Upload the receipt for the expense",
                ],
                strict=True,
            ):
                if not present and name not in self.errors:
                    self.add_error(name, message)
        return data

    def option(self):
        return self.options[self.cleaned_data["rate_kind"]]

    def expense(self):
        if not self.cleaned_data.get("expense_receipt"):
            return None
        return {
            "description": self.cleaned_data["expense_description"].strip(),
            "amount": self.cleaned_data["expense_amount"],
            "receipt": self.cleaned_data["expense_receipt"],
        }


class ExpenseForm(forms.Form):
    description = forms.CharField(
        label="What it was for",
        max_length=200,
        error_messages={"required": "Say what the expense was for"},
    )
    amount = forms.DecimalField(
        label="Amount in pounds",
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the amount",
            "invalid": "Enter the amount as a number, like 4.50",
            "min_value": "Enter an amount of at least 1p",
            "max_decimal_places": "Enter the amount in pounds and pence, like 4.50",
            "max_digits": "Enter an amount under £1,000,000",
        },
    )
    receipt = forms.FileField(
        label="Receipt (PDF, JPEG or PNG, up to 5 MB)",
        error_messages={"required": "Upload the receipt", "empty": "The receipt file is empty"},
    )

    def clean_receipt(self):
        upload = self.cleaned_data["receipt"]
        validate_receipt(upload)
        return upload


class PaidForm(forms.Form):
    paid_on = forms.DateField(
        label="Date paid",
        widget=DateInput,
        error_messages={"required": "Enter the date it was paid", "invalid": "Enter a real date"},
    )

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        claim = self.claim
        rules.check_claim_dates(
            claim.claimed_at if claim else None,
            claim.approved_at if claim else timezone.now(),
            value,
        )
        return value


class RateForm(forms.ModelForm):
    class Meta:
        model = PaymentRate
        fields = ["kind", "amount", "valid_from", "more_than_hours"]
        widgets = {
            "kind": forms.RadioSelect,
            "valid_from": DateInput,
            "amount": forms.NumberInput(attrs={"inputmode": "decimal"}),
        }
        labels = {"kind": "Type of rate"}
        error_messages = {
            "kind": {"required": "Choose the type of rate"},
            "amount": {
                "required": "Enter the amount",
                "invalid": "Enter the amount as a number, like 25.00",
                "min_value": "Enter an amount of at least 1p",
                "max_decimal_places": "Enter the amount in pounds and pence, like 25.00",
                "max_digits": "Enter an amount under £1,000,000",
            },
            "valid_from": {
                "required": "Enter the date it applies from",
                "invalid": "Enter a real date",
            },
            "more_than_hours": {
                "invalid": "Enter the hours as a number, like 5",
                "max_digits": "Enter a number of hours from 0 to 12",
                "max_decimal_places": "Enter the hours to 2 decimal places at most",
            },
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("kind")
            and data.get("valid_from")
            and PaymentRate.objects.filter(
                kind=data["kind"], valid_from=data["valid_from"]
            ).exists()
        ):
            self.add_error("valid_from", "There is already a rate of this type from this date")
        if data.get("valid_from") and "valid_from" not in self.errors:
            try:
                rules.check_rate_date(data["valid_from"])
            except forms.ValidationError as exc:
                self.add_error("valid_from", exc)
        try:
            rules.check_rate_threshold(data.get("kind"), data.get("more_than_hours"))
        except forms.ValidationError as exc:
            self.add_error("more_than_hours", exc)
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = PartnerProfile
        fields = ["perspective", "about", "share_about", "interests", "named_by_default"]
        widgets = {
            "perspective": forms.RadioSelect,
            "about": forms.Textarea(attrs={"rows": 4}),
            "interests": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "about": "Only what you want to share. Optional.",
            "share_about": "If you leave this empty, only programme admins can read it.",
            "named_by_default": "You can still choose each time.",
        }
        error_messages = {"perspective": {"required": "Choose your lived experience"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perspective"].choices = [
            (k, v) for k, v in Perspective.choices if k in LIVED_SIDE
        ]


class CharacteristicForm(forms.Form):
    value = forms.ChoiceField(widget=forms.RadioSelect)
    self_description = forms.CharField(
        label="In your own words (optional)",
        required=False,
        max_length=200,
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, or go back without saving"},
    )

    def __init__(self, *args, kind=None, labels=None, wording="", **kwargs):
        super().__init__(*args, **kwargs)
        label = Characteristic(kind).label
        self.fields["value"].choices = list(labels.items())
        self.fields["value"].label = (
            "Your ethnic group"
            if kind == "ethnicity"
            else f"{label}: how do you describe yourself?"
        )
        self.fields["value"].error_messages["required"] = (
            "Choose an answer, or go back without saving"
        )
        self.fields["consent"].label = wording

    def clean(self):
        data = super().clean()
        if data.get("value") == "own_words" and not (data.get("self_description") or "").strip():
            self.add_error(
                "self_description", "Describe it in your own words, or choose another answer"
            )
        return data
