"""A synthetic panel and its cards, for trying a co-production project out.

Ten panel members (P01 to P10) from the groups a peer support project brings together, a
facilitator and a member of the research team, and five cards from each panel member
answering a question about the values peer support should keep. Every word here is made up
for the demo: the codes, groups and perspectives describe nobody, and the card texts were
written for it. The same random generator state gives the same panel and the same cards.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db import transaction

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import Card, Member, Project
from peerprinciples.web.coproduction.services.cards import next_numbers

CARDS_EACH = 5


class Profile(NamedTuple):
    """One synthetic panel member."""

    code: str
    group: str
    decides: bool
    lived_experience: bool | None
    perspective: str


PANEL = (
    Profile(
        "P01",
        "peer worker",
        True,
        True,
        "I have worked as a peer worker on a ward for four years, after my own stays in hospital.",
    ),
    Profile("P02", "person who uses services", True, True, ""),
    Profile(
        "P03",
        "carer",
        False,
        None,
        "I support my brother, and I run a carers' group that meets once a month.",
    ),
    Profile(
        "P04",
        "peer worker",
        False,
        True,
        "Peer support helped me out of a dark time. Now I train new peer workers.",
    ),
    Profile("P05", "researcher", True, False, "I study how community mental health teams work."),
    Profile("P06", "person who uses services", False, None, ""),
    Profile(
        "P07",
        "manager",
        False,
        False,
        "I manage a team in which peer workers and clinical staff work side by side.",
    ),
    Profile(
        "P08",
        "person who uses services",
        True,
        True,
        "I use community services and speak up for others who find that hard.",
    ),
    Profile("P09", "carer", False, None, ""),
    Profile("P10", "peer worker", False, True, ""),
)
"""The panel: codes, groups, and what each chose to say (an empty perspective: nothing)."""

FACILITATOR = Profile(
    "F01",
    "peer worker",
    True,
    True,
    "I lead a peer support project and have used mental health services myself.",
)
RESEARCH = Profile("R01", "researcher", False, None, "")

CARD_TEXTS = (
    "Peer workers share their own experience when it helps the other person, not to tell "
    "their own story.",
    "The relationship is between equals: nobody is the expert on someone else's life.",
    "People choose what they want from the support, and can say no to any of it.",
    "Support goes at the person's own pace.",
    "Hope matters: seeing someone who has been through it and is doing well.",
    "Peer workers are trained and supervised by people who understand peer work.",
    "Peer workers are not there to make people take their medication.",
    "Both people learn from each other.",
    "Being listened to without being judged.",
    "Peer support reaches people in their own communities, in their own languages.",
    "The role is protected from turning into a cheap support worker post.",
    "Confidentiality is explained plainly at the start, including its limits.",
    "Peer workers keep their lived experience at the centre of the job.",
    "Time to talk, with no form to fill in.",
    "The service values what peer workers know from experience as much as qualifications.",
    "Respect for every kind of lived experience, not only the ones staff expect.",
    "Peer workers can say when something in the service is not working, and are heard.",
    "Kindness in small things: a cup of tea, remembering what someone said last week.",
    "Support continues after people leave hospital, when things are hardest.",
    "People are seen as whole people, not as a diagnosis.",
    "Peer workers have support for their own wellbeing at work.",
    "Mutual trust is built slowly and honestly.",
    "The person decides what counts as recovery for them.",
    "Peer workers help people connect with groups and activities near home.",
    "No pressure to share anything you do not want to.",
    "Peer support is led by people with lived experience at every level, including management.",
    "Clinical staff understand what peer workers are there to do.",
    "Boundaries are worked out together rather than handed down as rules.",
    "Meeting somewhere the person feels comfortable, not always in a clinic.",
    "Peer workers are paid fairly and have a real career path.",
    "Giving and receiving support both count.",
    "Practical help, like going along to a first appointment, matters as much as talking.",
    "The language used is everyday language, not jargon.",
    "Diversity of the peer workforce reflects the people using the service.",
    "Peer workers advocate for the person when they are not being heard.",
    "Honesty about what the service can and cannot offer.",
    "Families and carers are welcomed when the person wants them involved.",
    "Learning from mistakes without blame.",
    "Peer workers have a say in how the role is designed.",
    "Being believed.",
    "Support that is flexible: a phone call, a walk, a text when needed.",
    "The ending of support is planned together, not sudden.",
    "Peer workers stay peers: they do not take on a clinical identity.",
    "Everyone deserves to feel safe in the relationship.",
    "Creativity and humour have a place in peer support.",
    "People can go back to peer support later without starting from scratch.",
    "The service asks people who have used peer support how it should change.",
    "Shared experience is a strength, not a risk to be managed.",
    "Peer workers get the same respect in meetings as other staff.",
    "Small steps are celebrated.",
)
"""Fifty statements, written for the demo, answering a question about peer support values."""


def _member(project: Project, profile: Profile, role: str, account: Any | None) -> Member:
    """The profile's member, made if the project has no member under its code yet."""
    found = Member.objects.filter(project=project, code=profile.code).first()
    if found is not None:
        return found
    return Member.objects.create(
        project=project,
        user=account,
        code=profile.code,
        role=role,
        decides=profile.decides,
        group=profile.group,
        perspective=profile.perspective,
        lived_experience=profile.lived_experience,
    )


def _facilitator(project: Project, users: Mapping[str, Any]) -> Member:
    """The project's facilitator: the one it has, or F01 for whoever created the project."""
    found = (
        Member.objects.filter(project=project, role=Member.Role.FACILITATOR)
        .order_by("code")
        .first()
    )
    if found is not None:
        return found
    account = users.get(FACILITATOR.code)
    if account is None and not project.members.filter(user=project.created_by).exists():
        account = project.created_by
    return _member(project, FACILITATOR, Member.Role.FACILITATOR, account)


@transaction.atomic
def seed_members_and_cards(
    project: Project, rng: random.Random, *, users: Mapping[str, Any] | None = None
) -> list[Member]:
    """Add the synthetic panel, a facilitator and a research member to ``project``, and five
    cards from each panel member; returns the panel members, P01 to P10.

    ``users`` links codes to accounts (for demo sign-ins); members without one take part on
    paper, and their cards are typed up by the facilitator. The cards are numbered after any
    the project has, in an order drawn from ``rng``. The project is marked synthetic.
    """
    users = users or {}
    facilitator = _facilitator(project, users)
    _member(project, RESEARCH, Member.Role.RESEARCH, users.get(RESEARCH.code))
    panel = [_member(project, p, Member.Role.PANEL, users.get(p.code)) for p in PANEL]
    each = min(CARDS_EACH, project.cards_per_member)
    texts = list(CARD_TEXTS)
    rng.shuffle(texts)
    written = [(member, texts[n * each + k]) for n, member in enumerate(panel) for k in range(each)]
    rng.shuffle(written)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    numbers = next_numbers(locked, len(written))
    typist = facilitator.user or project.created_by
    Card.objects.bulk_create(
        Card(
            project=locked,
            number=number,
            text=text,
            author=member,
            from_paper=member.user is None,
            entered_by=member.user or typist,
        )
        for number, (member, text) in zip(numbers, written, strict=True)
    )
    locked.synthetic = True
    locked.save(update_fields=["synthetic"])
    project.last_card_number, project.synthetic = locked.last_card_number, True
    record(
        typist,
        "create",
        locked,
        evaluation_id=None,
        summary=f"Seeded a synthetic panel of {len(panel)} with {len(written)} cards",
        after={"id": locked.pk, "members": len(panel), "cards": len(written)},
    )
    return panel
