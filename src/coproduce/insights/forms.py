from django import forms

from coproduce.core.forms import DateInput

from . import consent, uploads
from .models import (
    Author,
    NewsletterIssue,
    Post,
    PostStatus,
    Quote,
    Resource,
    ResourceFormat,
    ReviewDecision,
    Series,
    Topic,
)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class PostForm(forms.ModelForm):
    topics = TopicChoiceField(queryset=Topic.objects.all(), required=False, label="Topics")
    authors = forms.ModelMultipleChoiceField(
        queryset=Author.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Authors (as they chose to be credited)",
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.all(),
        required=False,
        empty_label="Not part of a series",
        label="Series",
    )

    class Meta:
        model = Post
        fields = [
            "title",
            "summary",
            "body",
            "topics",
            "authors",
            "series",
            "series_part",
            "speaks_about_lived_experience",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
        help_texts = {
            "body": (
                "Markdown: ## for a heading, * for a list, [words](https://…) for a link. "
                "Put [quote 1] on a line of its own to place the first quote there."
            ),
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {
                "required": "Enter a summary",
                "max_length": "The summary must be 300 characters or fewer",
            },
            "body": {"required": "Write the post"},
            "series_part": {"invalid": "Enter the part as a whole number, like 2"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series_part"].widget = forms.NumberInput(attrs={"inputmode": "numeric"})
        self.fields[
            "speaks_about_lived_experience"
        ].label = "This post speaks about lived experience"

    def clean(self):
        data = super().clean()
        if data.get("series") and not data.get("series_part"):
            self.add_error("series_part", "Enter which part of the series this is, like 1")
        if data.get("series_part") and not data.get("series"):
            self.add_error("series", "Choose the series, or leave the part empty")
        return data


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = [
            "text",
            "attribution",
            "permission_given_by",
            "permission_given_on",
            "permission_wording",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "permission_wording": forms.Textarea(attrs={"rows": 3}),
            "permission_given_on": DateInput,
        }
        error_messages = {
            "text": {"required": "Enter the quote"},
            "attribution": {"required": "Enter how the person chose to be credited"},
            "permission_given_on": {"invalid": "Enter a real date, like 2026-03-31"},
        }

    def clean(self):
        data = super().clean()
        given = [
            data.get("permission_given_by"),
            data.get("permission_given_on"),
            data.get("permission_wording"),
        ]
        if any(given) and not all(given):
            if not data.get("permission_given_by"):
                self.add_error("permission_given_by", "Enter who gave permission")
            if not data.get("permission_given_on") and "permission_given_on" not in self.errors:
                self.add_error("permission_given_on", "Enter the date permission was given")
            if not data.get("permission_wording"):
                self.add_error("permission_wording", "Enter what they agreed to")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose whether you approve the post or want changes"},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comments for the authors",
        help_text="Needed if you ask for changes.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.CHANGES and not data.get("comment", "").strip():
            self.add_error("comment", "Say what should change, so the author knows what to do")
        return data


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {
                "required": "Enter the topic's name",
                "unique": "There is already a topic with this name",
            },
        }


class AuthorForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["credit_name", "description", "has_lived_experience"]
        error_messages = {"credit_name": {"required": "Enter how the person chose to be credited"}}


class SeriesForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = ["title"]
        error_messages = {
            "title": {
                "required": "Enter the series title",
                "unique": "There is already a series with this title",
            },
        }


class ResourceForm(forms.ModelForm):
    topics = TopicChoiceField(queryset=Topic.objects.all(), required=False, label="Topics")
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Or give a link",
        help_text="A web address starting https://",
        error_messages={"invalid": "Enter a web address starting https://"},
    )
    upload = forms.FileField(
        required=False,
        label="Upload a file",
        widget=forms.FileInput,
        help_text=f"{uploads.TYPES_TEXT}, smaller than 10 MB.",
    )

    class Meta:
        model = Resource
        fields = ["title", "description", "topics", "easy_read", "link", "format", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"format": "Format of the link"}
        help_texts = {"format": "For a file, the format is worked out from the file itself."}
        error_messages = {
            "title": {"required": "Enter a title"},
            "description": {"required": "Describe the resource"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].required = False
        self.fields["format"].choices = [("", "Choose the format")] + [
            c for c in ResourceFormat.choices if c[0] in {"web", "video", "pdf"}
        ]
        self.fields["easy_read"].label = "This is an easy read resource"

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.detected_format = uploads.check_upload(upload)
        return upload

    def clean_link(self):
        link = self.cleaned_data.get("link", "").strip()
        if link and not link.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address starting https://")
        return link

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        has_file = bool(upload) or bool(self.instance.file)
        link = data.get("link")
        if "upload" in self.errors or "link" in self.errors:
            return data
        if upload and link:
            self.add_error("link", "Upload a file or give a link, not both")
        elif not has_file and not link:
            self.add_error("upload", "Upload a file or give a link")
        elif link and not upload and not data.get("format"):
            self.add_error("format", "Choose the format of the link")
        return data


class IssueForm(forms.ModelForm):
    topics = TopicChoiceField(
        queryset=Topic.objects.all(),
        label="Send to subscribers of these topics",
        error_messages={"required": "Choose at least one topic"},
    )
    posts = forms.ModelMultipleChoiceField(
        queryset=Post.objects.filter(status=PostStatus.PUBLISHED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Insights to include",
    )

    class Meta:
        model = NewsletterIssue
        fields = ["subject", "introduction", "topics", "posts"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "subject": {"required": "Enter a subject line"},
            "introduction": {"required": "Write the introduction"},
        }


# Public forms ---------------------------------------------------------------------------


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.com",
        },
    )
    topics = TopicChoiceField(
        queryset=Topic.objects.all(),
        label="What would you like to hear about?",
        error_messages={"required": "Choose at least one topic"},
    )
    agree = forms.BooleanField(
        label="I agree",
        error_messages={"required": "Tick the box to agree, or you cannot subscribe"},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["agree"].help_text = consent.wording()

    def clean_consent_version(self):
        version = self.cleaned_data.get("consent_version") or consent.CURRENT_VERSION
        return version if version in consent.WORDINGS else consent.CURRENT_VERSION


class InterestsForm(forms.Form):
    topics = TopicChoiceField(
        queryset=Topic.objects.all(),
        label="What would you like to hear about?",
        error_messages={"required": "Choose at least one topic, or unsubscribe instead"},
    )


class DataRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address you subscribed with",
            "invalid": "Enter an e-mail address in the right format, like name@example.com",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
