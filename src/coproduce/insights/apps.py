from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "coproduce.insights"
    label = "insights"
    verbose_name = "Public site"

    def ready(self):
        from coproduce.core import audit

        from . import models

        audit.register(
            models.Topic,
            models.Author,
            models.Series,
            models.Post,
            models.Quote,
            models.Review,
            models.Resource,
            models.NewsletterIssue,
            models.ConsentRecord,
        )
        # The address never reaches the audit log: a deleted subscriber leaves no trace of it.
        audit.register(models.Subscriber, exclude=("email", "key"))
