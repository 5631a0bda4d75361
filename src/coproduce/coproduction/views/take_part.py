"""Taking part in a self-assessment round without an account (standard or easy read)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import charts, rules, services
from ..forms import (
    AnswerStepForm,
    StartForm,
)
from ..instrument import (
    DOMAIN_EASY,
    DOMAIN_HINTS,
    PERSPECTIVE_EASY,
    RUNG_EASY,
    RUNG_MEANINGS,
    STATEMENTS,
    Domain,
    Rung,
    statements_for,
)
from ..models import (
    AssessmentRound,
)
from ._shared import _posted

DRAFT_COOKIE = "coproduce_take_part"


DRAFT_DAYS = 30


def _public_round(token):
    try:
        return AssessmentRound.objects.select_related("provider", "ward").get(token=token)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404("Not found") from exc


def _key(request, round_obj):
    if request.user.is_authenticated:
        return services.signed_in_key(round_obj, request.user)
    return request.COOKIES.get(DRAFT_COOKIE)


def _steps(response):
    if response.easy_read:
        return [[s] for s in STATEMENTS]
    return [statements_for(d) for d in Domain.values]


def _place(round_obj, easy=False):
    if easy:
        return "the ward" if round_obj.ward_id else "the hospital"
    return "the ward" if round_obj.ward_id else "the organisation"


def _closed(request, round_obj, easy=False):
    return render(
        request,
        "coproduction/take_part_closed.html",
        {
            "page_title": "This has closed",
            "round": round_obj,
            "easy": easy,
        },
    )


def _first_unanswered(response) -> int:
    answered = {a.statement for a in response.answers.all()}
    for i, statements in enumerate(_steps(response), start=1):
        if any(s.key not in answered for s in statements):
            return i
    return 0


def take_part(request, token):
    round_obj = _public_round(token)
    easy = request.GET.get("easy") == "1" or request.POST.get("easy") == "1"
    if not round_obj.is_open:
        return _closed(request, round_obj, easy)
    key = _key(request, round_obj)
    response = services.find_response(round_obj, key)
    if response and response.submitted_on:
        return redirect("coproduction:take-part-done", token=token)
    form = StartForm(_posted(request), easy=easy)
    if request.method == "POST" and form.is_valid():
        new_key = key or services.new_draft_key()
        response = services.start_response(
            round_obj,
            new_key,
            form.cleaned_data["perspective"],
            easy,
            signed_in=request.user.is_authenticated,
        )
        reply = redirect(
            "coproduction:take-part-step", token=token, step=_first_unanswered(response) or 1
        )
        if not request.user.is_authenticated:
            reply.set_cookie(
                DRAFT_COOKIE,
                new_key,
                max_age=DRAFT_DAYS * 24 * 3600,
                path=f"/take-part/{token}/",
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return reply
    resume_step = _first_unanswered(response) if response else None
    total = len(_steps(response)) if response else None
    return render(
        request,
        "coproduction/take_part_start.html",
        {
            "page_title": "Easy read: tell us what you think"
            if easy
            else "Take part: co-production on the ladder",
            "round": round_obj,
            "form": form,
            "easy": easy,
            "response": response,
            "resume_step": resume_step,
            "total": total,
            "place": _place(round_obj, easy),
            "fictional_banner": True,
            "rungs": [
                (r.value, r.label, RUNG_MEANINGS[r.value], *RUNG_EASY[r.value]) for r in Rung
            ],
            "symbol": charts.rung_symbol,
            "perspectives_easy": PERSPECTIVE_EASY,
        },
    )


def _draft(request, round_obj):
    response = services.find_response(round_obj, _key(request, round_obj))
    if response is None:
        return None
    return response


def take_part_step(request, token, step):
    round_obj = _public_round(token)
    if not round_obj.is_open:
        return _closed(request, round_obj)
    response = _draft(request, round_obj)
    if response is None:
        return redirect("coproduction:take-part", token=token)
    if response.submitted_on:
        return redirect("coproduction:take-part-done", token=token)
    steps = _steps(response)
    if step < 1 or step > len(steps):
        raise Http404("Not found")
    statements = [rules.as_asked(s, response.perspective) for s in steps[step - 1]]
    easy = response.easy_read
    existing = {a.statement: a for a in response.answers.all()}
    initial = {}
    for s in statements:
        if s.key in existing:
            a = existing[s.key]
            initial |= {
                f"{s.key}-as_is": str(a.as_is),
                f"{s.key}-to_be": str(a.to_be),
            }  # a saved comment is never shown again: the device may be shared
    form = AnswerStepForm(
        _posted(request),
        initial=initial,
        statements=statements,
        easy=easy,
        place=_place(round_obj),
    )
    if request.method == "POST" and form.is_valid():
        services.save_answers(response, form.answers())
        if step < len(steps):
            return redirect("coproduction:take-part-step", token=token, step=step + 1)
        return redirect("coproduction:take-part-check", token=token)
    domain = statements[0].domain
    back = (
        reverse("coproduction:take-part-step", args=[token, step - 1])
        if step > 1
        else reverse("coproduction:take-part", args=[token]) + ("?easy=1" if easy else "")
    )
    return render(
        request,
        "coproduction/take_part_step.html",
        {
            "page_title": (
                f"Question {step} of {len(steps)}"
                if easy
                else f"{Domain(domain).label} ({step} of {len(steps)})"
            ),
            "round": round_obj,
            "form": form,
            "easy": easy,
            "step": step,
            "total": len(steps),
            "domain": Domain(domain).label,
            "domain_hint": DOMAIN_HINTS[domain],
            "domain_easy": DOMAIN_EASY[domain],
            "place": _place(round_obj, easy),
            "symbol": charts.rung_symbol,
            "back_url": back,
            "back_text": "Back",
            "start_url": reverse("coproduction:take-part", args=[token])
            + ("?easy=1" if easy else ""),
        },
    )


def take_part_check(request, token):
    round_obj = _public_round(token)
    if not round_obj.is_open:
        return _closed(request, round_obj)
    response = _draft(request, round_obj)
    if response is None:
        return redirect("coproduction:take-part", token=token)
    if response.submitted_on:
        return redirect("coproduction:take-part-done", token=token)
    missing = _first_unanswered(response)
    if missing:
        return redirect("coproduction:take-part-step", token=token, step=missing)
    if request.method == "POST":
        response.submitted_on = timezone.localdate()
        response.save(update_fields=["submitted_on"])
        return redirect("coproduction:take-part-done", token=token)
    answers = {a.statement: a for a in response.answers.all()}
    easy = response.easy_read
    rows = []
    for i, statements in enumerate(_steps(response), start=1):
        for s in statements:
            a = answers[s.key]
            rows.append(
                {
                    "text": s.easy if easy else s.text,
                    "step": i,
                    "as_is": RUNG_EASY[a.as_is][0] if easy else Rung(a.as_is).label,
                    "to_be": RUNG_EASY[a.to_be][0] if easy else Rung(a.to_be).label,
                    "comment": a.comment,
                }
            )
    return render(
        request,
        "coproduction/take_part_check.html",
        {
            "page_title": "Check your answers",
            "round": round_obj,
            "rows": rows,
            "easy": easy,
            "back_url": reverse("coproduction:take-part-step", args=[token, len(_steps(response))]),
        },
    )


def take_part_done(request, token):
    round_obj = _public_round(token)
    response = _draft(request, round_obj)
    easy = bool(response and response.easy_read)
    reply = render(
        request,
        "coproduction/take_part_done.html",
        {
            "page_title": "Thank you",
            "round": round_obj,
            "easy": easy,
            "submitted": bool(response and response.submitted_on),
        },
    )
    if response and response.submitted_on:
        reply.delete_cookie(DRAFT_COOKIE, path=f"/take-part/{token}/")
    return reply
