from django import forms
from django.utils import timezone

from coproduce.core.forms import DateInput

from . import rules, services
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
        error_messages={
            "required": "Choose how long the session was",
            "invalid_choice": "Choose how long the session was",
        },
    )
    confirm_same_day = forms.BooleanField(
        label="Yes, this was another session on the same day",
        required=False,
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
            "staff_attending": {
                "invalid": "Enter a whole number, like 4",
                "required": "Enter how many staff took part, or 0",
                "min_value": f"The number of staff must be between 0 and {rules.MAX_PEOPLE}",
                "max_value": f"The number of staff must be between 0 and {rules.MAX_PEOPLE}",
            },
            "partners_attending": {
                "invalid": "Enter a whole number, like 1",
                "required": "Enter how many lived experience partners took part, or 0",
                "min_value": "The number of lived experience partners must be between 0 and "
                f"{rules.MAX_PEOPLE}",
                "max_value": "The number of lived experience partners must be between 0 and "
                f"{rules.MAX_PEOPLE}",
            },
            "others_attending": {
                "invalid": "Enter a whole number, like 0",
                "required": "Enter how many other people took part, or 0",
                "min_value": f"The number of other people must be between 0 and {rules.MAX_PEOPLE}",
                "max_value": f"The number of other people must be between 0 and {rules.MAX_PEOPLE}",
            },
            "topics": {"max_length": "Topics must be 300 characters or fewer"},
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Choose where")] + services.places_for(user)
        for name in ("staff_attending", "partners_attending", "others_attending"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
            self.fields[name].max_value = rules.MAX_PEOPLE
            self.fields[name].validators = [
                v for v in self.fields[name].validators if not hasattr(v, "limit_value")
            ]
        self.same_day = []
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
        problem = rules.session_date_problem(data.get("held_on"), timezone.localdate())
        if problem:
            self.add_error("held_on", problem)
        counts = [data.get(f"{n}_attending") for n in ("staff", "partners", "others")]
        for name, message in rules.attendance_problems(*counts).items():
            if name not in self.errors:
                self.add_error(name, message)
        if data.get("provider") and data.get("held_on") and not self.errors:
            self.same_day = list(
                rules.same_day_sessions(
                    data["provider"], data.get("ward"), data["held_on"], self.instance.pk
                )
            )
            if self.same_day and not data.get("confirm_same_day"):
                self.add_error(
                    "confirm_same_day",
                    "A session is already logged for this place on this day. If this was "
                    "another session, tick the box to log it too",
                )
        return data


class ActionForm(forms.ModelForm):
    held_on = None  # the session's date, set by the view before validation

    class Meta:
        model = CoachingAction
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DateInput}
        labels = {"description": "Action", "due_on": "Due by (optional)"}
        error_messages = {
            "due_on": {"invalid": "Enter a real date"},
            "description": {"max_length": "The action must be 300 characters or fewer"},
            "owner": {"max_length": "Who will do it must be 120 characters or fewer"},
        }

    def clean(self):
        data = super().clean()
        problem = rules.action_due_problem(data.get("due_on"), self.held_on)
        if problem:
            self.add_error("due_on", problem)
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
    absolute_max=10,  # a tampered count never builds more forms than this
)
