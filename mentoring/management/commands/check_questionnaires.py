"""Check every questionnaire definition file and say, in plain words, what is wrong."""

from django.core.management.base import BaseCommand, CommandError

from mentoring.outcomes import questionnaires


class Command(BaseCommand):
    help = "Check the questionnaire files (mentoring/questionnaires/ and QUESTIONNAIRE_DIRS)."

    def handle(self, *args, **options):
        good, problems = questionnaires.check_all()
        for questionnaire in good:
            state = "in use" if questionnaire.enabled else "not in use (enabled: false)"
            self.stdout.write(
                f"OK  {questionnaire.source}: {questionnaire.title} "
                f"({len(questionnaire.items)} questions, {state})"
            )
        if problems:
            for problem in problems:
                self.stderr.write(f"NOT OK  {problem}")
            raise CommandError(f"{len(problems)} problem(s) found: nothing was changed.")
