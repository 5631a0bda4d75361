from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coproduce.reports"
    label = "reports"
    verbose_name = "Delivery and reporting"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from coproduce.improvement.models import DataPoint, PhaseBreak
        from coproduce.improvement.signals import figures_changed

        from . import snapshots

        # A figure or phase break changed in place leaves the snapshot's fingerprint alone:
        # forget the snapshot as it is saved or deleted, and after bulk saves (ADR 110).
        for model in (DataPoint, PhaseBreak):
            post_save.connect(snapshots.forget_one, sender=model, dispatch_uid=f"snap-{model}")
            post_delete.connect(snapshots.forget_one, sender=model, dispatch_uid=f"snap-d-{model}")
        figures_changed.connect(snapshots.forget_many, dispatch_uid="snap-bulk")
