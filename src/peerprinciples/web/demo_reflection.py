"""What the demo's reflection cycles say: synthetic texts written for the demo.

The words are this project's own, made up to show what a cycle can hold. They name roles,
never people, and keep to plain, everyday language. Keys are those of the built-in guide
``enrich-reflection@1``; :mod:`peerprinciples.web.demo` writes them into the demo evaluation.

Days are counted back from the day the demo is created, so the demo always looks recent:
the first service met about half a year ago, and its next cycle is under way now.
"""

from __future__ import annotations

from typing import NamedTuple

GUIDE = "enrich-reflection"
"""The built-in reflection guide the demo's cycles follow."""


class Answers(NamedTuple):
    """The three answers about one principle or theme."""

    going_well: str
    hard: str
    try_next: str


class Check(NamedTuple):
    """One organisational condition: ``yes``, ``partly`` or ``no``, and a short note."""

    state: str
    note: str = ""


class PlannedAction(NamedTuple):
    """An action agreed in the first cycle, and how the next cycle looked back at it."""

    principle: str
    what: str
    who: str
    due_after_days: int
    outcome: str
    what_happened: str


# --- the first service, first round: a finished cycle -----------------------------------------

FIRST_MET_DAYS_AGO = 190
FIRST_REPLIES_DAYS = 14
"""The reply window after the meeting; the lead released the report the day after."""

FIRST_TAKING_PART = {
    "peer_workers": 4,
    "people_supported": 3,
    "supervisors": 1,
    "managers": 1,
    "others": 0,
}

FIRST_REFLECTIONS: dict[str, Answers] = {
    "relationships": Answers(
        "People often tell us the first conversation felt different: nobody was reading "
        "from a form. Walking to the café together has become a good way to start.",
        "Some weeks the rota leaves only half an hour per person, which is not enough to "
        "get past the small talk.",
        "Keep one afternoon a week free of appointments so first meetings can take as long "
        "as they need.",
    ),
    "mutuality": Answers(
        "In the peer group, peer workers and the people they support have been sharing "
        "what helps them on hard days, and both sides say they learn from it.",
        "On the ward round a peer worker was introduced as 'the staff member who will "
        "check on you', which set them apart from the start.",
        "Agree with the ward team how peer workers are introduced, in words the peer "
        "workers chose.",
    ),
    "experiential-knowledge": Answers(
        "A peer worker's idea for a welcome pack, drawn from their own first weeks in "
        "the service, is now given to everyone who joins.",
        "In team meetings, what peer workers know from their own lives is sometimes "
        "heard as a nice story rather than as knowledge.",
        "Ask a peer worker to open one team meeting a month with what they are noticing.",
    ),
    "leadership-choice-control": Answers(
        "People choose where they meet their peer worker, and most choose somewhere "
        "outside the building.",
        "Peer workers had no say in the new recording system, and it now takes time away "
        "from being with people.",
        "Ask for a peer worker's place on the group that plans changes to the service.",
    ),
    "strengths-connections": Answers(
        "Two people who met through peer support now run a walking group of their own.",
        "Links with community groups rest on one peer worker's contacts and fade when "
        "they are away.",
        "Write down, together, the community places people have found helpful, so the "
        "whole team can share them.",
    ),
    "diversity-of-lived-experience": Answers(
        "The team now includes people with quite different experiences of distress and "
        "of services, and that shows in the conversations.",
        "Younger people and people whose first language is not English rarely come to "
        "the peer group, and we do not yet know why.",
        "Ask the community groups we know whether our leaflet and our words make sense "
        "to the people they work with.",
    ),
}

FIRST_CONDITIONS: dict[str, Check] = {
    "supervision-by-someone-who-understands": Check(
        "partly", "Group supervision with a peer lead; one-to-one is still with a nurse."
    ),
    "choice-over-sharing": Check("yes", "Everyone said this feels true for them."),
    "support-to-use-lived-experience": Check(
        "partly", "Clear on good days; less clear where to turn after a hard one."
    ),
    "peer-space": Check("yes", "A fortnightly peer meeting, kept free of other business."),
    "notes-written-and-shared": Check(
        "no", "Notes follow the service's clinical template; not yet talked through."
    ),
    "how-work-is-allocated": Check("partly", "People can ask for a peer worker themselves."),
    "shared-understanding-of-the-role": Check("partly", "Newer colleagues are less sure."),
    "title-badge-pay-progression": Check("no", "The badge says 'peer'; nobody was asked."),
    "say-over-role-changes": Check("no"),
    "training-without-a-script": Check(
        "yes", "Training is planned with peer workers and starts from their experience."
    ),
    "room-for-local-ways": Check("partly"),
    "lived-experience-leads-reflection": Check(
        "yes", "This cycle was led by the reflection facilitator, a peer researcher."
    ),
}

TEAM_ANSWERS: dict[str, int | None] = {
    "rel-time": 2,
    "rel-common-ground": 4,
    "rel-safe": 3,
    "mut-both-ways": 3,
    "mut-equal": 2,
    "mut-differences": 3,
    "ek-valued": 2,
    "ek-own-words": 3,
    "ek-used": 2,
    "lcc-organisation": 1,
    "lcc-team": 2,
    "lcc-relationship": 4,
    "sc-strengths": 3,
    "sc-connections": 2,
    "div-welcome": 3,
    "div-words": 2,
}

TEAM_NOTES: dict[str, str] = {
    "relationships": "Time is the thing we most want to protect.",
    "leadership-choice-control": (
        "We answered 'not yet' for the organisation together, and felt better for saying it."
    ),
    "diversity-of-lived-experience": "We want to hear from the people who are not in the room.",
}

FIRST_ACTIONS: list[PlannedAction] = [
    PlannedAction(
        "relationships",
        "Keep Thursday afternoons free of appointments for first meetings.",
        "Team manager",
        42,
        "done",
        "Thursdays have stayed free since the summer; first meetings no longer feel rushed.",
    ),
    PlannedAction(
        "leadership-choice-control",
        "Ask for a peer worker's place on the service planning group.",
        "Peer workers, with the reflection facilitator",
        90,
        "kept",
        "A peer worker now goes to the meetings as a guest; the seat is not settled yet, "
        "so we carry on.",
    ),
    PlannedAction(
        "diversity-of-lived-experience",
        "Translate the peer support leaflet into the two languages most spoken locally.",
        "Peer workers",
        120,
        "dropped",
        "The community groups told us a leaflet was not the problem: people want to meet us "
        "first. We dropped it for a monthly drop-in at the community centre, which has begun.",
    ),
]

FIRST_REPLY_ABOUT = "mutuality"
FIRST_REPLY = (
    "I would add that the introductions have got better since we talked about it. What still "
    "matters to me is that the people we support hear from us, not about us."
)

# --- the first service, last round: the next cycle, under way -----------------------------------

NEXT_MET_DAYS_AGO = 3

NEXT_TAKING_PART = {
    "peer_workers": 3,
    "people_supported": 4,
    "supervisors": 1,
    "managers": 0,
    "others": 1,
}

NEXT_REFLECTIONS: dict[str, Answers] = {
    "relationships": Answers(
        "The free Thursday afternoons have given first meetings room to breathe.",
        "Waiting lists have grown, and people sometimes wait weeks to meet anyone.",
        "",
    ),
    "diversity-of-lived-experience": Answers(
        "The drop-in at the community centre has brought in people we had not met before.",
        "",
        "Invite people from the drop-in to help plan the next one.",
    ),
}

# --- the second service, last round: a cycle under way, its draft report open for replies ----

SECOND_MET_DAYS_AGO = 5
SECOND_REPLIES_AHEAD_DAYS = 7

SECOND_TAKING_PART = {
    "peer_workers": 3,
    "people_supported": 2,
    "supervisors": 1,
    "managers": 1,
    "others": 0,
}

SECOND_REFLECTIONS: dict[str, Answers] = {
    "relationships": Answers(
        "People say they can be themselves with their peer worker, and come back because of it.",
        "Home visits were cut back, so some people only meet us in the clinic.",
        "Find two or three places in town where people would rather meet.",
    ),
    "experiential-knowledge": Answers(
        "Peer workers helped write the new welcome talk, in their own words.",
        "The words in the care plan still come from the clinical side.",
        "Try writing one section of the plan together, in the person's own words.",
    ),
    "strengths-connections": Answers(
        "The allotment group has grown by word of mouth.",
        "Transport makes it hard for people outside town to join in.",
        "",
    ),
}

MEMBER_ROLE = "peer worker"
MEMBER_ANSWERS: dict[str, int | None] = {
    "rel-time": 3,
    "rel-common-ground": 4,
    "rel-safe": 3,
    "mut-both-ways": 3,
    "mut-equal": 2,
    "mut-differences": None,
    "ek-valued": 2,
    "ek-own-words": 2,
    "ek-used": 1,
    "lcc-organisation": 2,
    "lcc-team": 3,
    "lcc-relationship": 3,
    "sc-strengths": 4,
    "sc-connections": 3,
    "div-welcome": 3,
    "div-words": None,
}
MEMBER_NOTES: dict[str, str] = {
    "experiential-knowledge": "I feel listened to in the peer meeting, less so in the big one.",
}
