from django import forms

from coproduce.core.forms import DateInput
from coproduce.core.scoping import Permission

from . import rules
from .models import (
    ROLE_DESCRIPTIONS,
    Invitation,
    Phase,
    Provider,
    Role,
    Ward,
    normalise_ods_code,
    validate_role_scope,
)


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "kind", "ods_code", "region"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {
                "required": "Enter the provider's name",
                "unique": "There is already a provider with this name",
            },
            "kind": {"required": "Choose the type of provider"},
            "ods_code": {
                "required": "Enter the ODS code",
                "unique": "Another provider already has this ODS code",
            },
        }

    def clean_ods_code(self):
        return normalise_ods_code(self.cleaned_data.get("ods_code"))


class WardForm(forms.ModelForm):
    phases = forms.ModelMultipleChoiceField(
        queryset=Phase.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Enrolled in these phases",
    )

    class Meta:
        model = Ward
        fields = ["name", "service_type", "beds"]
        widgets = {"service_type": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the ward or service name"},
            "service_type": {"required": "Choose the type of service"},
        }

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider or getattr(self.instance, "provider", None)
        self.fields["phases"].queryset = Phase.objects.all()
        self.fields["beds"].required = False
        self.fields["beds"].error_messages["invalid"] = "Enter the number of beds as a whole number"
        if self.instance.pk:
            self.fields["phases"].initial = list(self.instance.phases.values_list("pk", flat=True))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Ward.objects.filter(provider=self.provider, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This provider already has a ward with this name")
        return name


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "planned_executive_hours_per_month",
            "planned_ward_hours_per_week",
        ]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}
        error_messages = {
            "name": {
                "required": "Enter a name for the phase",
                "max_length": "The name must be 120 characters or fewer",
            },
            "starts_on": {"required": "Enter the start date", "invalid": "Enter a real date"},
            "ends_on": {"required": "Enter the end date", "invalid": "Enter a real date"},
            "planned_executive_hours_per_month": {
                "required": "Enter the planned executive coaching hours, or 0",
                "invalid": "Enter a number of hours, like 1 or 1.5",
            },
            "planned_ward_hours_per_week": {
                "required": "Enter the planned ward coaching hours, or 0",
                "invalid": "Enter a number of hours, like 1 or 1.5",
            },
        }

    HOURS = {
        "planned_executive_hours_per_month": (
            rules.MAX_EXECUTIVE_HOURS_PER_MONTH,
            "planned executive coaching",
        ),
        "planned_ward_hours_per_week": (rules.MAX_WARD_HOURS_PER_WEEK, "planned ward coaching"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (limit, what) in self.HOURS.items():
            message = rules.hours_problem(limit + 1, limit, what)
            field = self.fields[name]
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
            field.error_messages.update(
                {"max_digits": message, "max_decimal_places": "Use up to 2 decimal places"}
            )
            field.error_messages["max_whole_digits"] = message

    def clean(self):
        data = super().clean()
        for name, (limit, what) in self.HOURS.items():
            problem = rules.hours_problem(data.get(name), limit, what)
            if problem and name not in self.errors:
                self.add_error(name, problem)
        return data  # the dates are checked by Phase.clean, through the same rules


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["full_name", "email", "role", "provider", "ward"]
        widgets = {"role": forms.RadioSelect}
        labels = {"full_name": "Their full name", "email": "Their e-mail address"}
        error_messages = {
            "full_name": {"required": "Enter their full name"},
            "email": {
                "required": "Enter their e-mail address",
                "invalid": "Enter an e-mail address in the right format, like name@example.org",
            },
            "role": {"required": "Choose a role"},
        }

    def __init__(self, *args, access=None, providers=None, wards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["provider"].queryset = providers
        self.fields["provider"].required = False
        self.fields["provider"].empty_label = "None (whole programme)"
        self.fields["ward"].queryset = wards.select_related("provider")
        self.fields["ward"].required = False
        self.fields["ward"].empty_label = "None (the whole provider)"
        self.fields["ward"].label_from_instance = lambda w: f"{w.name} ({w.provider.name})"
        roles = list(Role.choices)
        if not access.has(Permission.MANAGE_PROGRAMME):  # programme-wide roles
            roles = [
                (v, label) for v, label in roles if v not in {Role.PROGRAMME_ADMIN, Role.COACH}
            ]
        self.fields["role"].choices = roles
        self.role_hints = {str(k): v for k, v in ROLE_DESCRIPTIONS.items()}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        role, provider, ward = data.get("role"), data.get("provider"), data.get("ward")
        if role:
            for field, message in validate_role_scope(role, provider, ward).items():
                self.add_error(field, message)
        provider_id = provider.id if provider else (ward.provider_id if ward else None)
        if provider_id is None:
            allowed = self.access.has(Permission.MANAGE_PROGRAMME)
        else:
            allowed = self.access.has(Permission.MANAGE_PEOPLE, provider_id)
        if not allowed:
            self.add_error("provider", "Choose a provider you lead")
        return data
