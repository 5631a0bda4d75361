"""Django form fields mapped onto NHS.UK design system components.

``field_params(bound_field)`` returns the component to use and its parameters, so a
template renders any field with ``{{ form_field(form["name"]) }}`` (see
``jinja2/components/forms.html``) and gets labels, hints and error messages in the NHS
pattern.
"""

from django import forms

from .messages import one_message, plain


def _label(bf, **extra):
    label = {"text": bf.label}
    label.update(extra)
    return label


def _error(bf):
    """One message per field (the first), in plain words."""
    if bf.errors:
        return {"text": one_message(bf.errors, bf.field, bf.name)}
    return None


def field_error(bf) -> str:
    """The one plain message for a bound field, for templates that lay a field out by hand."""
    return one_message(bf.errors, bf.field, bf.name) if bf.errors else ""


def _hint(bf):
    return {"text": str(bf.help_text)} if bf.help_text else None


def _value(bf):
    value = bf.value()
    if value is None:
        return ""
    return value


def field_params(bf, extra: dict | None = None) -> dict:
    widget = bf.field.widget
    extra = dict(extra or {})
    base = {"id": bf.auto_id, "name": bf.html_name, "errorMessage": _error(bf), "hint": _hint(bf)}
    attrs = {k: v for k, v in widget.attrs.items() if k not in {"class"}}

    if isinstance(widget, DateInput):
        return _date_params(bf, base, extra)

    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        selected = {str(getattr(v, "pk", v)) for v in (_value(bf) or [])}
        items = [
            {"value": str(value), "text": str(text), "checked": str(value) in selected}
            for value, text in bf.field.choices
        ]
        params = base | {
            "idPrefix": bf.auto_id,
            "items": items,
            "fieldset": {"legend": {"text": bf.label, "size": extra.pop("legend_size", "s")}},
        }
        params.pop("id")
        return {"kind": "checkboxes", "params": params | extra}

    if isinstance(widget, forms.RadioSelect):
        items = [
            {
                "value": str(value),
                "text": str(text),
                "checked": str(value) == str(_value(bf)),
                "hint": {"text": extra.get("item_hints", {}).get(str(value))}
                if extra.get("item_hints", {}).get(str(value))
                else None,
            }
            for value, text in bf.field.choices
            if str(value) != ""
        ]
        params = base | {
            "idPrefix": bf.auto_id,
            "items": items,
            "fieldset": {"legend": {"text": bf.label, "size": extra.pop("legend_size", "s")}},
        }
        params.pop("id")
        extra.pop("item_hints", None)
        return {"kind": "radios", "params": params | extra}

    if isinstance(widget, forms.CheckboxInput):
        params = {
            "idPrefix": bf.auto_id,
            "name": bf.html_name,
            "errorMessage": _error(bf),
            "items": [
                {
                    "value": "on",
                    "text": bf.label,
                    "checked": bool(bf.value()),
                    "hint": _hint(bf),
                    "id": bf.auto_id,
                }
            ],
        }
        return {"kind": "checkboxes", "params": params | extra}

    if isinstance(widget, forms.Select):
        current = _value(bf)
        items = [
            {"value": str(value), "text": str(text), "selected": str(value) == str(current)}
            for value, text in bf.field.choices
        ]
        return {"kind": "select", "params": base | {"label": _label(bf), "items": items} | extra}

    if isinstance(widget, forms.Textarea):
        return {
            "kind": "textarea",
            "params": base
            | {"label": _label(bf), "value": _value(bf), "rows": attrs.get("rows", 5)}
            | extra,
        }

    input_type = getattr(widget, "input_type", "text")
    value = _value(bf)
    if input_type == "password":
        value = ""
    if input_type == "date" and hasattr(value, "isoformat"):
        value = value.isoformat()
    params = base | {
        "label": _label(bf),
        "type": input_type,
        "value": value,
        "autocomplete": attrs.get("autocomplete"),
        "inputmode": attrs.get("inputmode"),
        "spellcheck": False if input_type in {"email", "password"} else None,
    }
    if isinstance(widget, forms.NumberInput):
        params["type"] = "text"
        params["inputmode"] = attrs.get("inputmode", "decimal")
        params["classes"] = "nhsuk-input--width-10"
    return {"kind": "input", "params": params | extra}


class DateInput(forms.Widget):
    """The NHS date input: separate day, month and year boxes, as people write a date.

    It also reads a single ISO value under the field's own name (``2026-11-16``), which is
    what older links, scripts and tests send.
    """

    PARTS = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        parts = [str(data.get(f"{name}-{part}", "")).strip() for part in self.PARTS]
        if any(parts):
            day, month, year = parts
            if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
                return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
            return "-".join(parts) + "-"  # never a date: the field says "Enter a real date"
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in self.PARTS)

    def format_value(self, value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value


def date_parts(bf) -> dict:
    """Day, month and year to show in a date input: what the person typed, or the value."""
    widget = bf.field.widget
    if bf.form.is_bound and any(f"{bf.html_name}-{p}" in bf.form.data for p in widget.PARTS):
        return {p: bf.form.data.get(f"{bf.html_name}-{p}", "") for p in widget.PARTS}
    value = bf.value()
    if hasattr(value, "year"):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, str) and value.count("-") == 2:
        year, month, day = value.split("-")
        return {"day": day.lstrip("0"), "month": month.lstrip("0"), "year": year}
    return {"day": "", "month": "", "year": ""}


def _date_params(bf, base, extra) -> dict:
    values = date_parts(bf)
    has_error = bool(bf.errors)
    items = [
        {
            "id": f"{bf.auto_id}-{part}",
            "name": f"{bf.html_name}-{part}",
            "label": part.capitalize(),
            "value": values[part],
            "width": 4 if part == "year" else 2,
            "classes": "nhsuk-input--error" if has_error else "",
        }
        for part in DateInput.PARTS
    ]
    hint = base["hint"] or {"text": "For example, 15 3 2026"}
    params = base | {
        "items": items,
        "hint": hint,
        "fieldset": {"legend": {"text": bf.label, "size": extra.pop("legend_size", "s")}},
    }
    return {"kind": "date", "params": params | extra}


def error_list(form) -> list[dict]:
    """The error summary items, each linking to its field."""
    items = []
    for name, errors in form.errors.items():
        href = "#" + (form[name].auto_id if name in form.fields else "maincontent")
        if name in form.fields:
            widget = form.fields[name].widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                href = f"#{form[name].auto_id}"
            elif isinstance(widget, DateInput):
                href = f"#{form[name].auto_id}-day"
        field = form.fields.get(name)
        texts = [one_message(errors, field, name)] if field is not None else []
        if field is None:  # errors about the whole form: each one, in plain words
            texts = [plain(error) for error in errors]
        items.extend({"text": text, "href": href} for text in texts)
    return items
