"""``coproduce send-newsletter ISSUE_ID``: send an issue to the confirmed subscribers of its
topics, in batches, recording every delivery. Running it again reaches only those still
waiting (after a failure part-way, say)."""

from django.core.management.base import BaseCommand, CommandError

from coproduce.insights import newsletter
from coproduce.insights.models import NewsletterIssue


class Command(BaseCommand):
    help = "Send a newsletter issue to the confirmed subscribers of its topics."

    def add_arguments(self, parser):
        parser.add_argument("issue_id", type=int)
        parser.add_argument("--batch-size", type=int, default=newsletter.BATCH_SIZE)

    def handle(self, *args, issue_id, batch_size, **options):
        try:
            issue = NewsletterIssue.objects.get(pk=issue_id)
        except NewsletterIssue.DoesNotExist as exc:
            raise CommandError(f"There is no newsletter issue {issue_id}.") from exc
        if batch_size < 1:
            raise CommandError("The batch size must be 1 or more.")
        waiting = newsletter.recipients(issue).count()
        if waiting == 0:
            self.stdout.write(f"Nobody is waiting for ‘{issue.subject}’: nothing to send.")
            return
        result = newsletter.send_issue(issue, batch_size=batch_size)
        self.stdout.write(
            self.style.SUCCESS(
                f"‘{issue.subject}’: sent {result['sent']}, failed {result['failed']}."
            )
        )
