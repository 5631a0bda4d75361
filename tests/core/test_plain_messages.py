"""No Django default message reaches a person: every form error is in plain words."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core import validators

import coproduce
from coproduce.core.messages import is_django_default, plain

DJANGO_DEFAULTS = [
    "This field is required.",
    "Select a valid choice. 7 is not one of the available choices.",
    "Select a valid choice. That choice is not one of the available choices.",
    "Ensure this value has at most 300 characters (it has 10000).",
    "Ensure this value has at least 2 characters (it has 1).",
    "Ensure this value is greater than or equal to 0.",
    "Ensure this value is less than or equal to 32767.",
    "Ensure that there are no more than 5 digits in total.",
    "Ensure that there are no more than 2 decimal places.",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid date.",
    "Enter a valid email address.",
    "Enter a valid URL.",
    "Enter a list of values.",
    "Provider with this ODS code already exists.",
    "Constraint “phase_ends_after_start” is violated.",
    "The submitted file is empty.",
    "Null characters are not allowed.",
    "This field cannot be blank.",
]


@pytest.mark.parametrize("message", DJANGO_DEFAULTS)
def test_each_django_default_becomes_a_plain_sentence_naming_the_field(message):
    field = forms.IntegerField(label="Staff who took part")
    text = plain(message, field, "staff")
    assert is_django_default(message)
    assert not is_django_default(text), text
    assert text != message and text[0].isupper()


def test_a_plain_message_is_left_as_it_is():
    assert plain("Enter the date of the session") == "Enter the date of the session"


def test_required_says_enter_or_select_by_kind_of_field():
    assert plain("This field is required.", forms.CharField(label="Name"), "n") == "Enter name"
    choice = forms.ChoiceField(label="Role", choices=[("a", "A")], widget=forms.RadioSelect)
    assert plain("This field is required.", choice, "role") == "Select role"


def _project_form_classes():
    for module_info in pkgutil.walk_packages(coproduce.__path__, "coproduce."):
        if ".migrations" in module_info.name or not module_info.name.endswith("forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_form_field_error_reads_plainly(db):
    """Walk every form class of the project, field by field, through every message it can give."""
    checked = 0
    failures = []
    for cls in _project_form_classes():
        for name, field in cls.base_fields.items():
            messages = dict(field.error_messages)
            for v in field.validators:
                if isinstance(v, validators.BaseValidator):
                    messages[f"validator {type(v).__name__}"] = v.message % {
                        "limit_value": v.limit_value,
                        "show_value": 0,
                    }
            for code, message in messages.items():
                text = plain(str(message), field, name)
                checked += 1
                if is_django_default(text):
                    failures.append(f"{cls.__module__}.{cls.__name__}.{name} [{code}]: {text}")
    assert checked > 200
    assert not failures, "\n".join(failures[:30])
