"""CSV upload of figures: the file, the preview and the confirmation.

The file is read once (``core.uploads``) and its checked rows, not its text, wait in a
pending upload until the person confirms; the rules run again before anything is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core import uploads
from coproduce.spc.text import format_number

from .. import forms, services
from ..models import (
    WardMeasure,
)
from ._shared import _ward


def _scope(ward) -> str:
    return f"ward:{ward.pk}"


@login_required
def upload(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    posted = request.method == "POST"
    form = forms.UploadForm(request.POST if posted else None, request.FILES if posted else None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        parsed = services.parse_csv(form.text, ward)
        if not parsed.errors:
            uploads.keep_pending(
                request.user,
                services.UPLOAD_KIND,
                _scope(ward),
                form.cleaned_data["file"].name[:100],
                [r.as_json() for r in parsed.rows],
            )
            return redirect("improvement:upload-preview", ward_pk=ward.pk)
    measures = WardMeasure.objects.filter(ward=ward, active=True).select_related("measure")
    return render(
        request,
        "improvement/upload.html",
        {
            "page_title": f"Upload figures for {ward.name}",
            "ward": ward,
            "form": form,
            "parsed": parsed,
            "error_items": [
                {"text": f"Line {line}: {reason}", "href": "#line-errors"}
                for line, reason in (parsed.errors[:5] if parsed else [])
            ],
            "max_errors": services.MAX_ERRORS_SHOWN,
            "measures": measures,
            "example": services.example_csv(measures),
            "back_url": reverse("improvement:ward-summary", args=[ward.pk]),
        },
    )


@login_required
def upload_preview(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    stored = uploads.pending_for(request.user, services.UPLOAD_KIND, _scope(ward))
    if stored is None:
        messages.info(request, "There is no file waiting. Upload a CSV file first.")
        return redirect("improvement:upload", ward_pk=ward.pk)
    parsed = services.rows_from_json(stored.rows, ward)
    form = forms.ConfirmImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not parsed.errors and form.is_valid():
        replace = form.cleaned_data["replace"]
        if parsed.replacing and not replace:
            form.add_error(
                "replace",
                f"{len(parsed.replacing)} of the figures are for periods that already have values. "
                "Tick the box to replace them, or upload a file without those periods.",
            )
        else:
            added, replaced = services.save_rows(
                parsed.rows, replace=replace, source=stored.file_name
            )
            uploads.discard_pending(request.user, services.UPLOAD_KIND, _scope(ward))
            words = f"{added} figure{'s' if added != 1 else ''} added"
            if replaced:
                words += f" and {replaced} replaced"
            messages.success(request, f"{words} from {stored.file_name}.")
            return redirect("improvement:ward-summary", ward_pk=ward.pk)
    return render(
        request,
        "improvement/upload_preview.html",
        {
            "page_title": f"Check the figures from {stored.file_name}",
            "ward": ward,
            "form": form,
            "parsed": parsed,
            "file_name": stored.file_name,
            "fmt": format_number,
            "back_url": reverse("improvement:upload", args=[ward.pk]),
            "back_text": "Upload another file",
        },
    )
