from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from coproduce.programme import invitations

from .forms import AcceptInvitationForm, SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


def accept_invitation(request, token):
    invitation = invitations.from_token(token)
    if invitation is None:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"page_title": "This invitation link does not work"},
            status=404,
        )
    existing = invitations.existing_user(invitation)
    if existing is not None:
        invitations.accept(invitation, existing)
        messages.success(request, "Your new role has been added. Sign in to use it.")
        return redirect("accounts:sign-in")
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        user = invitations.create_user_and_accept(
            invitation,
            full_name=form.cleaned_data["full_name"],
            preferred_name=form.cleaned_data["preferred_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Coproduce. Your account is ready.")
        return redirect("core:home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"page_title": "Set up your account", "form": form, "invitation": invitation},
    )
