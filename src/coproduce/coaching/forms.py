from django import forms

from coproduce.core.forms import DateInput

from . import services
from .models import CoachingAction, CoachingSession

DURATIONS = [
    (30, "30 minutes"),
    (45, "45 minutes"),
    (60, "1 hour"),
    (90, "1 and a half hours"),
    (120, "2 hours"),
    (180, "3 hours"),
    (360, "A full day (6 hours)"),
]


class SessionForm(forms.ModelForm):
    place = forms.ChoiceField(
        label="Where",
        error_messages={
            "required": "Choose the ward or provider you coached",
            "invalid_choice": "Choose the ward or provider you coached",
        },
    )
    duration_minutes = forms.TypedChoiceField(
        label="How long",
        choices=DURATIONS,
        coerce=int,
        widget=forms.RadioSelect,
        initial=60,
        error_messages={"required": "Choose how long the session was"},
    )

    class Meta:
        model = CoachingSession
        fields = [
            "kind",
            "held_on",
            "duration_minutes",
            "staff_attending",
            "partners_attending",
            "others_attending",
            "topics",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "held_on": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "staff_attending": "Staff who took part",
            "partners_attending": "Lived experience partners who took part",
            "others_attending": "Others who took part",
            "topics": "Topics (optional)",
            "notes": "Notes (optional)",
        }
        error_messages = {
            "held_on": {
                "required": "Enter the date of the session",
                "invalid": "Enter a real date",
            },
            "staff_attending": {"invalid": "Enter a whole number, like 4"},
            "partners_attending": {"invalid": "Enter a whole number, like 1"},
            "others_attending": {"invalid": "Enter a whole number, like 0"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Choose where")] + services.places_for(user)
        for name in ("staff_attending", "partners_attending", "others_attending"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            self.initial["place"] = (
                f"w:{self.instance.ward_id}"
                if self.instance.ward_id
                else f"p:{self.instance.provider_id}"
            )

    def clean(self):
        data = super().clean()
        place = data.get("place")
        if place:
            try:
                data["provider"], data["ward"] = services.parse_place(place)
            except (ValueError, LookupError):
                self.add_error("place", "Choose the ward or provider you coached")
        return data


class ActionForm(forms.ModelForm):
    class Meta:
        model = CoachingAction
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DateInput}
        labels = {"description": "Action", "due_on": "Due by (optional)"}
        error_messages = {"due_on": {"invalid": "Enter a real date"}}

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("owner"):
            self.add_error("owner", "Say who will do this action")
        if data.get("owner") and not data.get("description"):
            self.add_error("description", "Say what the action is")
        return data


ActionFormSet = forms.inlineformset_factory(
    CoachingSession,
    CoachingAction,
    form=ActionForm,
    extra=2,
    can_delete=False,
    max_num=10,
)
