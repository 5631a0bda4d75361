"""Payment claims for involvement: claim, expenses, withdraw, approve, paid, rates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coproduce.core.scoping import Permission, get_visible_or_404

from .. import presenters, rules, services
from ..forms import (
    ClaimForm,
    ExpenseForm,
    PaidForm,
    RateForm,
)
from ..models import (
    ClaimStatus,
    Expense,
    InvolvementPartner,
    PaymentClaim,
    PaymentRate,
)
from ._shared import _posted, _require
from .involvement import _involvements


@login_required
def claim_create(request, pk):
    involvement = get_visible_or_404(_involvements(request.user), request.user, pk=pk)
    if not InvolvementPartner.objects.filter(involvement=involvement, user=request.user).exists():
        raise PermissionDenied
    existing = PaymentClaim.objects.filter(involvement=involvement, partner=request.user).first()
    options = services.rate_options(involvement.occurred_on, involvement.hours)
    form = ClaimForm(_posted(request), request.FILES or None, options=options)
    if request.method == "POST" and form.is_valid():
        if existing:
            form.add_error(None, "You have already claimed for this involvement")
        else:
            try:
                claim = services.create_claim(
                    involvement, request.user, form.option(), form.expense()
                )
            except services.DuplicateClaim:
                form.add_error(None, "You have already claimed for this involvement")
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, "Your claim has been sent. We will tell you when it is approved."
                )
                return redirect("coproduction:claim-detail", pk=claim.pk)
    return render(
        request,
        "coproduction/claim_form.html",
        {
            "page_title": "Claim your involvement payment",
            "form": form,
            "involvement": involvement,
            "existing": existing,
            "notice": services.PAYMENT_NOTICE,
            "has_rates": bool(options),
            "back_url": reverse("coproduction:involvement-detail", args=[involvement.pk]),
        },
    )


def _claim(request, pk):
    try:
        return (
            PaymentClaim.objects.visible_to(request.user)
            .select_related(
                "involvement",
                "involvement__provider",
                "involvement__ward",
                "partner",
                "rate",
                "approved_by",
                "paid_by",
            )
            .prefetch_related("expenses")
            .get(pk=pk)
        )
    except (PaymentClaim.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc


@login_required
def claim_list(request):
    claims = (
        PaymentClaim.objects.filter(partner=request.user)
        .select_related("involvement", "rate")
        .prefetch_related("expenses")
        .order_by("-claimed_at")
    )
    return render(
        request,
        "coproduction/claim_list.html",
        {
            "page_title": "Your claims",
            "claims": claims,
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


@login_required
def claim_detail(request, pk):
    claim = _claim(request, pk)
    paid_form = PaidForm(initial={"paid_on": timezone.localdate()})
    return render(
        request,
        "coproduction/claim_detail.html",
        presenters.claim_detail(claim, request.user, paid_form),
    )


def _own_open_claim(request, pk):
    claim = _claim(request, pk)
    if claim.partner_id != request.user.id or claim.status != ClaimStatus.CLAIMED:
        raise PermissionDenied
    return claim


@login_required
def expense_create(request, pk):
    claim = _own_open_claim(request, pk)
    form = ExpenseForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_expense(
            claim,
            form.cleaned_data["description"].strip(),
            form.cleaned_data["amount"],
            form.cleaned_data["receipt"],
        )
        messages.success(request, "The expense has been added to your claim.")
        return redirect("coproduction:claim-detail", pk=claim.pk)
    return render(
        request,
        "coproduction/expense_form.html",
        {
            "page_title": "Add an expense",
            "form": form,
            "claim": claim,
            "back_url": reverse("coproduction:claim-detail", args=[claim.pk]),
        },
    )


@login_required
def claim_withdraw(request, pk):
    claim = _own_open_claim(request, pk)
    if request.method == "POST":
        try:
            services.withdraw(claim)
        except services.ClaimChanged:
            messages.info(
                request, "This claim has already been approved, so it cannot be withdrawn."
            )
            return redirect("coproduction:claim-detail", pk=claim.pk)
        messages.success(request, "Your claim has been withdrawn.")
        return redirect("coproduction:claim-list")
    return render(
        request,
        "coproduction/claim_withdraw.html",
        {
            "page_title": "Withdraw this claim",
            "claim": claim,
            "back_url": reverse("coproduction:claim-detail", args=[claim.pk]),
        },
    )


def _require_approver(request, claim):
    if not rules.may_approve(request.user, claim):
        raise PermissionDenied


@login_required
@require_POST
def claim_approve(request, pk):
    claim = _claim(request, pk)
    _require_approver(request, claim)
    try:
        services.approve(claim, request.user)
    except services.ClaimChanged:
        messages.info(request, "This claim has already been approved or has been withdrawn.")
        if not PaymentClaim.objects.filter(pk=claim.pk).exists():
            return redirect("coproduction:payments-owed")
    else:
        messages.success(request, f"The claim from {claim.partner} has been approved.")
    return redirect("coproduction:claim-detail", pk=claim.pk)


@login_required
def claim_paid(request, pk):
    claim = _claim(request, pk)
    _require_approver(request, claim)
    if claim.status != ClaimStatus.APPROVED:
        messages.info(request, "Only an approved claim can be marked as paid.")
        return redirect("coproduction:claim-detail", pk=claim.pk)
    form = PaidForm(_posted(request), initial={"paid_on": timezone.localdate()}, claim=claim)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_paid(claim, request.user, form.cleaned_data["paid_on"])
        except services.ClaimChanged:
            messages.info(request, "This claim has already been marked as paid.")
        else:
            messages.success(request, f"The claim from {claim.partner} is marked as paid.")
        return redirect("coproduction:claim-detail", pk=claim.pk)
    return render(
        request,
        "coproduction/claim_paid.html",
        {
            "page_title": "Mark as paid",
            "form": form,
            "claim": claim,
            "back_url": reverse("coproduction:claim-detail", args=[claim.pk]),
        },
    )


@login_required
def receipt(request, pk, expense_pk):
    claim = _claim(request, pk)
    expense = get_object_or_404(Expense, pk=expense_pk, claim=claim)
    try:
        handle = expense.receipt.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Not found") from exc
    extension = expense.receipt.name.rsplit(".", 1)[-1].lower()
    content_type = {"pdf": "application/pdf", "png": "image/png"}.get(extension, "image/jpeg")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"receipt-{expense.pk}.{extension}",
        content_type=content_type,
    )


@login_required
def payments_owed(request):
    _require(request, Permission.VIEW_PAYMENTS_OWED)
    today = timezone.localdate()
    claims = [(c, rules.days_waiting(c, today)) for c in services.owed(request.user)]
    return render(
        request,
        "coproduction/payments_owed.html",
        {
            "page_title": "Payments owed",
            "claims": claims,
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


@login_required
def rate_list(request):
    _require(request, Permission.MANAGE_PROGRAMME)
    return render(
        request,
        "coproduction/rate_list.html",
        {
            "page_title": "Involvement payment rates",
            "rates": PaymentRate.objects.select_related("set_by").order_by("kind", "-valid_from"),
            "back_url": reverse("coproduction:payments-owed"),
            "back_text": "Payments owed",
        },
    )


@login_required
def rate_create(request):
    _require(request, Permission.MANAGE_PROGRAMME)
    form = RateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        rate = form.save(commit=False)
        rate.set_by = request.user
        rate.save()
        messages.success(request, f"The rate has been added: {rate}.")
        return redirect("coproduction:rate-list")
    return render(
        request,
        "coproduction/rate_form.html",
        {
            "page_title": "Add a payment rate",
            "form": form,
            "back_url": reverse("coproduction:rate-list"),
        },
    )
