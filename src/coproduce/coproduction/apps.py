from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    name = "coproduce.coproduction"
    label = "coproduction"
    verbose_name = "Co-production"

    def ready(self):
        from coproduce.core import audit

        from . import models

        # Self-assessment responses and answers are deliberately not audited: an audit entry
        # names the person acting, which would link a signed-in person to their answers.
        audit.register(
            models.AssessmentRound,
            models.Action,
            models.Involvement,
            models.InvolvementPartner,
            models.PartnerProfile,
            models.PaymentRate,
            models.PaymentClaim,
            models.Expense,
        )
        audit.register(models.PartnerCharacteristic, exclude=("value", "self_description"))
