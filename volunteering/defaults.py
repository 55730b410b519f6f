"""The roles and training courses every Alongside programme starts with.

Used by migration 0002 (with historical models) and by tests that run after a database flush
(with the real ones). It only creates what is missing, so coordinators' changes are kept.
"""

COURSES = [
    # slug, title, description, accredited, valid for months
    (
        "safeguarding",
        "Safeguarding adults and children",
        "Spotting harm, abuse and exploitation, and what to do about it.",
        True,
        24,
    ),
    (
        "peer-mentor-training",
        "Peer mentor training",
        "Walking alongside someone: listening, goal setting, endings and self-care.",
        True,
        36,
    ),
    (
        "group-facilitation",
        "Running a group",
        "Facilitating peer support groups safely, including handling disclosures.",
        False,
        36,
    ),
    (
        "naloxone",
        "Naloxone and overdose awareness",
        "Recognising an overdose and giving naloxone.",
        True,
        12,
    ),
]

ROLES = [
    # slug, title, description, DBS level, references, courses, supervision agreement.
    # Every role needs the induction (an onboarding step, not a course).
    (
        "peer-mentor",
        "Peer mentor",
        "Meet one person regularly and walk alongside them as they rebuild their life.",
        "enhanced",
        2,
        ["peer-mentor-training"],
        True,
    ),
    (
        "group-facilitator",
        "Group facilitator",
        "Co-run a weekly peer support group with a staff member.",
        "standard",
        2,
        ["safeguarding", "group-facilitation"],
        True,
    ),
    (
        "event-helper",
        "Event helper",
        "Welcome people, make tea and help set up at community events.",
        "none",
        1,
        [],
        False,
    ),
    (
        "gate-companion",
        "Meet at the gate companion",
        "Meet someone on the day they leave prison and help with the first few hours: "
        "probation, housing, a phone, a meal.",
        "enhanced",
        2,
        ["safeguarding", "naloxone"],
        True,
    ),
]


def ensure_default_roles(TrainingCourse, VolunteerRole) -> None:  # noqa: N803 - model classes
    courses = {}
    for slug, title, description, accredited, months in COURSES:
        courses[slug], _ = TrainingCourse.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "accredited": accredited,
                "valid_for_months": months,
            },
        )
    for slug, title, description, level, references, needs, supervision in ROLES:
        role, created = VolunteerRole.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "dbs_level": level,
                "references_required": references,
                "induction_required": True,
                "supervision_agreement_required": supervision,
            },
        )
        if created:
            role.required_courses.set([courses[name] for name in needs])
