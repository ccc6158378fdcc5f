"""``koers retention``: list (and with ``--apply`` destroy) care records whose retention has ended.

Without ``--apply`` nothing is deleted (a dry run). ``--person ID --reason "..."`` handles one
person's request to destroy their record (WGBO art. 7:455) after the care provider has checked
that no law or substantial interest of another stands in the way. Every deletion writes an
access-log row naming what was removed. See docs/export.md ("Bewaren en vernietigen").
"""

from django.core.management.base import BaseCommand, CommandError

from koers.audit.context import acting_context
from koers.exports import retention
from koers.people.models import Person


class Command(BaseCommand):
    help = "Care records past their retention period (WGBO 20 years): list them, or delete with --apply."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list (the default)")
        parser.add_argument("--apply", action="store_true", help="delete the records listed, and log it")
        parser.add_argument("--person", type=int, help="one person's request to destroy their record (art. 7:455)")
        parser.add_argument("--reason", default="", help="why (required with --person)")

    def handle(self, *args, **options):
        apply = options["apply"] and not options["dry_run"]
        if options["person"] is not None:
            if not options["reason"].strip():
                raise CommandError("--person needs --reason: what the request was and who checked it")
            person = Person.objects.filter(pk=options["person"]).first()  # access: a system command
            if person is None:
                raise CommandError(f"no person {options['person']}")
            targets = [(person, None)]
            reason = f"verzoek tot vernietiging (WGBO 7:455): {options['reason'].strip()}"
        else:
            targets = [(d.person, d.last_care) for d in retention.due()]
            reason = "bewaartermijn verstreken (WGBO 7:454)"
        with acting_context(channel="command"):
            for person, last in targets:
                when = last.date().isoformat() if last else "-"
                found = retention.destroy(person, reason=reason) if apply else retention.counts(person)
                what = ", ".join(f"{k}={n}" for k, n in found.items())
                verb = "removed" if apply else "would remove"
                self.stdout.write(f"{person.pk}\tlast care {when}\t{verb}: {what}")
        if not targets:
            self.stdout.write("nothing past its retention period")
        elif not apply:
            self.stdout.write(f"{len(targets)} record(s); nothing deleted (dry run). Use --apply to delete.")
