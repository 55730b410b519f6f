"""Demo content for `manage.py seed_demo`: home page words, events past and coming, and a
directory of local services (fictional, with numbers from Ofcom's drama ranges). Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    LocalServiceNeed,
    LocalServicePage,
    ServiceArea,
    ServiceDirectoryPage,
)

HOME_INTRO = (
    "<p>Alongside connects people leaving prison or in recovery from drugs and alcohol with "
    "peer mentors who have walked the same road. Volunteers give their time; coordinators "
    "make the matches; everyone is here by choice.</p>"
)

EVENTS = [
    # slug, title, days from now, hours long, online, place, access, capacity, audience, summary
    (
        "coffee-morning",
        "Coffee morning",
        2,
        2,
        False,
        "The Hub, 12 Market Street",
        "Step-free entrance, accessible toilet, quiet room upstairs (lift).",
        20,
        "anyone",
        "Tea, toast and a chat with people who have been there.",
    ),
    (
        "festival-of-strengths",
        "Festival of strengths",
        12,
        5,
        False,
        "Riverside community centre",
        "Step-free throughout. Hearing loop in the main hall. Buses 4 and 17 stop outside.",
        80,
        "members",
        "Music, food and stories: a day to celebrate how far people have come.",
    ),
    (
        "peer-mentor-training-refresher",
        "Peer mentor training refresher",
        20,
        3,
        True,
        "",
        "",
        12,
        "peer_mentors",
        "Boundaries, safeguarding and looking after yourself: a refresher online.",
    ),
    (
        "consultation-day-spring",
        "Consultation day: what should change?",
        -30,
        4,
        False,
        "Town hall, committee room 2",
        "Step-free via the side entrance on Church Lane.",
        30,
        "anyone",
        "Members told commissioners what works and what doesn't.",
    ),
]


AREAS = ["Camden", "Hackney", "Islington", "Tower Hamlets"]

SERVICES = [
    # slug, name, needs, areas (None: everywhere), phone, address, opening times,
    # self-referral, just turn up, what to bring, notes
    (
        "hackney-housing-advice",
        "Hackney Housing Advice drop-in",
        ["housing"],
        ["Hackney"],
        "020 7946 0181",
        "The Hub, 12 Market Street, London E8",
        "Monday to Friday, 10am to 1pm",
        True,
        True,
        "Your release licence or discharge letter if you have it, and any letters about housing.",
        "Advisers help you make a homeless application to the council and find a hostel bed "
        "for tonight if you need one.",
    ),
    (
        "eastside-recovery",
        "Eastside Recovery Service",
        ["drugs_alcohol", "health"],
        ["Hackney", "Tower Hamlets"],
        "020 7946 0422",
        "40 Mare Street, London E8",
        "Monday to Friday, 9am to 5pm; Thursday until 8pm",
        True,
        True,
        "Nothing: you can just come in and say you would like to talk to someone.",
        "Drug and alcohol treatment: a key worker, a prescription (for example methadone) "
        "and groups. You do not have to stop using to start.",
    ),
    (
        "second-chance-jobs-club",
        "Second Chance Jobs Club",
        ["work"],
        ["Hackney", "Islington"],
        "020 7946 0735",
        "Upper Street library, London N1",
        "Tuesdays and Thursdays, 1pm to 4pm",
        True,
        False,
        "A CV if you have one; if not, they help you write one.",
        "Help with CVs, disclosing a conviction to an employer, and courses such as a CSCS "
        "card (the card you need to work on a building site).",
    ),
    (
        "clear-debt-line",
        "Clear Debt Advice Line",
        ["debt", "benefits"],
        None,
        "0808 157 0192",
        "",
        "Monday to Friday, 8am to 8pm; Saturday 9am to 1pm",
        True,
        False,
        "Any letters about what you owe, and your benefit letters.",
        "Free and confidential advice on debts, rent arrears and benefits, including Universal "
        "Credit (UC) and the advance payment you can ask for on release.",
    ),
    (
        "camden-family-centre",
        "Camden Family Centre",
        ["family"],
        ["Camden"],
        "020 7946 0550",
        "8 Pratt Street, London NW1",
        "Monday to Thursday, 9.30am to 4pm",
        False,
        False,
        "",
        "Support to rebuild contact with your children, and family mediation. A worker "
        "(probation, social worker, your coordinator) refers you.",
    ),
    (
        "id-back",
        "ID Back",
        ["id_documents", "benefits"],
        ["Camden", "Hackney", "Islington", "Tower Hamlets"],
        "020 7946 0913",
        "St Mary's church hall, London E1",
        "Wednesdays, 10am to 2pm",
        True,
        True,
        "Any ID you still have, even if it is out of date.",
        "Help to get a birth certificate, a provisional driving licence and a bank account, "
        "so you can claim benefits and rent a room.",
    ),
]


def seed_directory(home) -> int:
    for name in AREAS:
        if not ServiceArea.objects.filter(name=name).exists():
            ServiceArea.objects.create(name=name)
    directory = ServiceDirectoryPage.objects.first()
    if directory is None:
        directory = ServiceDirectoryPage(
            title="Local services",
            slug="local-services",
            summary="Housing, treatment, benefits, work, family, health, debt and ID: who can "
            "help near you.",
            intro="<p>Choose what you need help with and where you live. Every service here "
            "is free.</p>",
            live=False,
        )
        home.add_child(instance=directory)
        directory.save_revision().publish()
    created = 0
    for (
        slug,
        title,
        needs,
        areas,
        phone,
        address,
        hours,
        self_ref,
        drop_in,
        bring,
        notes,
    ) in SERVICES:
        if LocalServicePage.objects.filter(slug=slug).exists():
            continue
        service = LocalServicePage(
            title=title,
            slug=slug,
            summary=notes.split(". ")[0].rstrip(".") + ".",
            serves_everywhere=areas is None,
            phone=phone,
            address=address,
            opening_times=hours,
            self_referral=self_ref,
            just_turn_up=drop_in,
            what_to_bring=bring,
            notes=notes,
            live=False,
        )
        service.need_rows = [LocalServiceNeed(need=need) for need in needs]
        service.areas = list(ServiceArea.objects.filter(name__in=areas or []))
        directory.add_child(instance=service)
        service.save_revision().publish()
        created += 1
    return created


def seed(personas, stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    if not home.intro or "connects people" not in home.intro or not home.summary:
        home.intro = HOME_INTRO
        home.save_revision().publish()
    index = EventIndexPage.objects.first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for slug, title, days, hours, online, place, access, capacity, audience, summary in EVENTS:
        if EventPage.objects.filter(slug=slug).exists():
            continue
        start = (now + timedelta(days=days)).replace(hour=10)
        event = EventPage(
            title=title,
            slug=slug,
            start=start,
            end=start + timedelta(hours=hours),
            online=online,
            place="Online" if online else place,
            access_information=access,
            online_details="A link is sent the day before." if online else "",
            capacity=capacity,
            audience=audience,
            summary=summary,
            live=False,
        )
        index.add_child(instance=event)
        event.save_revision().publish()
        created += 1
    services = seed_directory(home)
    stdout.write(f"cms: home page, {created} new event(s) and {services} new local service(s)")
