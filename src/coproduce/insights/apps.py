from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "coproduce.insights"
    label = "insights"
    verbose_name = "Public site"

    def ready(self):
        from coproduce.core import audit, layout_parts

        from . import models, permissions

        # What the public site adds to every page: its styles, the cookie banner, the page
        # counter (after consent only), the privacy link and its place in the navigation.
        layout_parts.register(
            stylesheets=["insights/insights.css"],
            body_start=["insights/_cookie_banner.html"],
            body_end=["insights/_analytics.html"],
            footer_links=[layout_parts.Link("Privacy and cookies", "insights:privacy")],
            public_nav=[
                layout_parts.Link("Insights", "insights:post-list"),
                layout_parts.Link("Resources", "insights:resource-list"),
                layout_parts.Link("Newsletter", "insights:newsletter"),
            ],
            signed_in_nav=[
                layout_parts.Link(
                    "Editorial", "insights:editorial", show=permissions.can_use_editorial
                )
            ],
            public_home=["insights/_public_home.html"],
        )

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
