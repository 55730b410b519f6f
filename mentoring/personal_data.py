"""Mentoring's part of "My data".

What is the person's: a mentee's referral, goals, check-ins and settings; a mentor's mentoring
details; each side's matches and meetings (when and where, how it ended) and the notes a mentor
wrote. What is not: the other person's name, a match's reasons and score (they describe the other
person too), risk notes and do-not-match records (the organisation's), the "never again" choices
a mentee made about a mentor (in the mentee's file only, without the mentor's name), and the
referrals a coordinator made about other people.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from mentoring.models import (
    CheckIn,
    Goal,
    Match,
    Meeting,
    MeetingNote,
    MenteeSettings,
    MentorProfile,
    NamedWorker,
    NeverAgain,
    Referral,
    SuggestedService,
)
from mentoring.outcomes.models import MeetingFeedback, MilestoneClock, Reflection, Response


def sections(user: User) -> list[Section]:
    return [
        *section(
            "mentoring.mentor_details",
            "Your details as a peer mentor",
            MentorProfile.objects.filter(user=user),
            ["places", "gender", "helps_with", "released_on", "recovery_since", "updated_at"],
        ),
        *section(
            "mentoring.referrals",
            "Your referrals for a mentor",
            Referral.objects.filter(person=user).order_by("pk"),
            [
                "status",
                "contact_preference",
                "area",
                "needs",
                "prison",
                "release_date",
                "wants_experience",
                "wants_gender",
                "wants_language",
                "availability",
                "consent_to_share",
                "created_at",
            ],
        ),
        *section(
            "mentoring.matches",
            "Your matches",
            Match.objects.filter(Q(mentee=user) | Q(mentor=user)).order_by("pk"),
            [
                ("you_are", lambda match: "mentee" if match.mentee_id == user.pk else "mentor"),
                "status",
                "proposed_at",
                "activated_at",
                "ended_at",
                "end_reason",
            ],
        ),
        *section(
            "mentoring.meetings",
            "Your mentoring meetings",
            Meeting.objects.filter(Q(match__mentee=user) | Q(match__mentor=user)).order_by("pk"),
            ["starts_at", "minutes", "place_kind", "place", "status"],
        ),
        *section(
            "mentoring.meeting_notes_you_wrote",
            "Notes you wrote after meetings",
            MeetingNote.objects.filter(written_by=user).select_related("meeting").order_by("pk"),
            ["meeting.starts_at", "notes", "agreed_actions", "updated_at"],
        ),
        *section(
            "mentoring.agreed_actions",
            "What you and your mentor agreed to do",
            MeetingNote.objects.filter(meeting__match__mentee=user)
            .exclude(agreed_actions="")
            .select_related("meeting")
            .order_by("pk"),
            ["meeting.starts_at", "agreed_actions"],
        ),
        *section(
            "mentoring.goals",
            "Your goals",
            Goal.objects.filter(mentee=user).prefetch_related("steps").order_by("pk"),
            [
                "area",
                "words",
                "status",
                "reached_on",
                "created_at",
                ("steps", _steps),
            ],
        ),
        *section(
            "mentoring.check_ins",
            "Your check-ins",
            CheckIn.objects.filter(mentee=user).order_by("pk"),
            ["feeling", "line", "hours_this_week", "created_at"],
        ),
        *section(
            "mentoring.settings",
            "What your mentor may see",
            MenteeSettings.objects.filter(mentee=user),
            ["shared", "weekly_hours_target", "updated_at"],
        ),
        *section(
            "mentoring.local_services",
            "Local services your mentor added to My people (by their number in the directory)",
            SuggestedService.objects.filter(mentee=user).order_by("pk"),
            ["service_id", "created_at"],
        ),
        *section(
            "mentoring.named_workers",
            "Workers at those services your mentor asked to add to My people, and your answer",
            NamedWorker.objects.filter(service__mentee=user).select_related("service"),
            ["service.service_id", "name", "role", "how_to_reach", "state", "created_at"],
        ),
        *section(
            "mentoring.never_again",
            "Mentors you asked not to be matched with again",
            NeverAgain.objects.filter(mentee=user).order_by("pk"),
            ["created_at"],
        ),
        # Outcomes: the person's own answers and words (special-category data: theirs alone).
        *section(
            "mentoring.how_things_are",
            "Your answers to \u201cHow things are\u201d and other check-ups",
            Response.objects.filter(person=user).order_by("pk"),
            [
                "questionnaire",
                "phase",
                "with_mentor",
                "answers",
                "words",
                "started_at",
                "completed_at",
            ],
        ),
        *section(
            "mentoring.meeting_feedback",
            "How you said your meetings went",
            MeetingFeedback.objects.filter(person=user).order_by("pk"),
            ["face", "line", "created_at"],
        ),
        *section(
            "mentoring.reflections",
            "What you said when a match ended",
            Reflection.objects.filter(person=user).order_by("pk"),
            ["helped", "change", "created_at"],
        ),
        *section(
            "mentoring.milestones",
            "Your milestone dates",
            MilestoneClock.objects.filter(person=user).order_by("pk"),
            ["kind", "started_on", "shared_with_mentor", "created_at"],
        ),
    ]


def _steps(goal: Goal) -> list[dict]:
    return [{"words": step.words, "done": step.done} for step in goal.steps.all()]
