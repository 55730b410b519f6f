from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written (signed form)")
    VERBAL = "verbal", _("Verbal (recorded by the involvement lead)")


class Placement(models.TextChoices):
    WEBSITE = "website", _("This website")
    PRINT = "print", _("Printed leaflets and reports")
    TALKS = "talks", _("Talks and training")
    SOCIAL = "social", _("Social media")
