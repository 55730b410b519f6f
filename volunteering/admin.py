"""Back office for the programme's set-up: roles and courses.

People's onboarding records, DBS checks and risk assessments are deliberately not here: they are
managed on the coordinators' pages, where access is checked per record and every view of DBS
details is audited.
"""

from django.contrib import admin

from volunteering.models import TrainingCourse, VolunteerRole


@admin.register(VolunteerRole)
class VolunteerRoleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "dbs_level", "references_required"]
    filter_horizontal = ["required_courses"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["title", "accredited", "valid_for_months"]
    prepopulated_fields = {"slug": ["title"]}
