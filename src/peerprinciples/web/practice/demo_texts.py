"""What the demo practice matrices say: synthetic texts written for the demo.

The words are this project's own, made up to show what a filled-in matrix can hold: a mix of
what is in place, partly in place, not yet in place and not relevant here, each with its
reason, and a few cells nobody has looked at yet. Holders are roles, never people. Keys are
the built-in areas (``core/data/practice/areas.yaml``) and the ENRICH principles;
:mod:`peerprinciples.web.practice.demo` writes them into the demo programmes.
"""

from __future__ import annotations

from typing import NamedTuple

IN_PLACE = "in_place"
PARTLY = "partly"
NOT_YET = "not_yet"
NOT_RELEVANT = "not_relevant"


class Planned(NamedTuple):
    """One cell as the demo writes it; ``by_peer_worker`` says who wrote it."""

    text: str
    status: str
    why: str
    holder: str
    evidence: str = ""
    by_peer_worker: bool = False


# --- the community programme ------------------------------------------------------------------

CELLS: dict[tuple[str, str], Planned] = {
    # Role description and person specification
    ("role-description", "relationships"): Planned(
        "The role description says the job is to build a relationship over time, starting "
        "where the person wants to start, not to complete a set of tasks.",
        IN_PLACE,
        "Rewritten with two peer workers last year.",
        "Peer support lead",
        "The current role description, section 2.",
    ),
    ("role-description", "mutuality"): Planned(
        "It names learning from each other as part of the work, both ways.",
        PARTLY,
        "The person specification still lists 'maintains professional distance' from the "
        "old support worker template.",
        "Peer support lead",
    ),
    ("role-description", "experiential-knowledge"): Planned(
        "Lived experience of distress and of using services is the first essential "
        "criterion, and the role says how it is used.",
        IN_PLACE,
        "Agreed with HR when the posts were first advertised.",
        "Peer support lead",
    ),
    ("role-description", "leadership-choice-control"): Planned(
        "The person supported chooses what they work on; the role says so in its first line.",
        IN_PLACE,
        "Peer workers asked for it to be said plainly.",
        "Peer support lead",
    ),
    ("role-description", "strengths-connections"): Planned(
        "Helping people find and keep links with groups and places outside services is a "
        "named part of the job.",
        PARTLY,
        "It is there, but listed last and easy to miss.",
        "Peer support lead",
    ),
    # Recruitment and interview questions
    ("recruitment", "relationships"): Planned(
        "The interview includes a short conversation with someone who uses the service, "
        "who then gives their view to the panel.",
        IN_PLACE,
        "Done at the last two rounds of interviews.",
        "Recruiting manager",
        "Notes from the last interview day.",
    ),
    ("recruitment", "mutuality"): Planned(
        "A peer worker sits on every interview panel as an equal member.",
        IN_PLACE,
        "Written into the recruitment policy.",
        "Recruiting manager",
    ),
    ("recruitment", "experiential-knowledge"): Planned(
        "Candidates are asked how they might draw on their own experience, and that they "
        "choose what to share.",
        PARTLY,
        "Some panel members still ask for details of a person's diagnosis.",
        "Peer worker on the panel",
        by_peer_worker=True,
    ),
    ("recruitment", "leadership-choice-control"): Planned(
        "Candidates choose whether to say anything about their own history in the interview.",
        NOT_YET,
        "The application form asks people to describe their 'mental health history'; "
        "HR have been asked to change it.",
        "HR adviser",
    ),
    ("recruitment", "strengths-connections"): Planned(
        "We advertise through community groups and peer networks as well as the usual job sites.",
        PARTLY,
        "Only for the last round; not yet how we always do it.",
        "Recruiting manager",
    ),
    # Induction and training
    ("induction-training", "relationships"): Planned(
        "Training starts with what made a difference in peer workers' own relationships "
        "with services, good and bad.",
        IN_PLACE,
        "Planned with peer workers, who lead the first day.",
        "Peer trainers",
        by_peer_worker=True,
    ),
    ("induction-training", "mutuality"): Planned(
        "New peer workers shadow an experienced peer worker, and the experienced one "
        "writes down what they learnt too.",
        IN_PLACE,
        "Everyone who joined this year did it.",
        "Peer trainers",
        by_peer_worker=True,
    ),
    ("induction-training", "experiential-knowledge"): Planned(
        "A session on choosing what to share, when, and how to look after yourself after.",
        IN_PLACE,
        "It is the session people rate most useful.",
        "Peer trainers",
        "Feedback forms from the last two courses.",
        by_peer_worker=True,
    ),
    ("induction-training", "leadership-choice-control"): Planned(
        "Trainees help set the timetable and can swap sessions round.",
        PARTLY,
        "The mandatory organisation-wide training cannot be moved.",
        "Training coordinator",
    ),
    ("induction-training", "strengths-connections"): Planned(
        "Local groups come in to meet new peer workers in their first month.",
        NOT_YET,
        "We lost the list of contacts when the last coordinator left.",
        "Training coordinator",
    ),
    # Supervision (individual)
    ("supervision", "relationships"): Planned(
        "Supervision makes room to talk about how a relationship is going, not only about risk.",
        PARTLY,
        "Depends on the supervisor; peer supervisors do this, others less so.",
        "Supervisor",
        by_peer_worker=True,
    ),
    ("supervision", "mutuality"): Planned(
        "Supervisors ask what peer workers have learnt from the people they support, as "
        "well as what they have given.",
        PARTLY,
        "Newer supervisors have not had the briefing yet.",
        "Supervisor",
    ),
    ("supervision", "experiential-knowledge"): Planned(
        "Peer workers can choose supervision from someone with lived experience.",
        PARTLY,
        "Group supervision is with a peer lead; one-to-one is still with a nurse.",
        "Peer support lead",
    ),
    ("supervision", "leadership-choice-control"): Planned(
        "Peer workers set the agenda for their own supervision.",
        IN_PLACE,
        "Agreed in the supervision guidance.",
        "Supervisor",
    ),
    ("supervision", "strengths-connections"): Planned(
        "Supervision looks at what is going well for the person supported, and who else "
        "is around them.",
        IN_PLACE,
        "A standing question on the supervision record.",
        "Supervisor",
    ),
    # Team support and peer worker meetings
    ("team-support", "relationships"): Planned(
        "The team knows a peer worker's time with someone may not look like a task done.",
        PARTLY,
        "Some colleagues still ask what peer workers 'actually do'.",
        "Team manager",
    ),
    ("team-support", "mutuality"): Planned(
        "A fortnightly peer meeting, kept free of other business, where peer workers "
        "support each other.",
        IN_PLACE,
        "Running for a year; well attended.",
        "Peer workers",
        by_peer_worker=True,
    ),
    ("team-support", "experiential-knowledge"): Planned(
        "A peer worker opens one team meeting a month with what they are noticing.",
        PARTLY,
        "Started in the last reflection cycle; not every team has taken it up.",
        "Team manager",
    ),
    ("team-support", "leadership-choice-control"): Planned(
        "Peer workers decide together what the peer meeting is for each time.",
        IN_PLACE,
        "",
        "Peer workers",
        by_peer_worker=True,
    ),
    ("team-support", "strengths-connections"): Planned(
        "The team keeps a shared list of community places people have found helpful.",
        PARTLY,
        "Started, but only two peer workers add to it so far.",
        "Peer workers",
        by_peer_worker=True,
    ),
    # Organisational support and leadership
    ("organisational-support", "relationships"): Planned(
        "Managers protect time for first meetings so they are not rushed.",
        IN_PLACE,
        "Thursday afternoons are kept free of appointments.",
        "Service manager",
    ),
    ("organisational-support", "mutuality"): Planned(
        "Senior leaders meet peer workers twice a year to hear what gets in the way.",
        NOT_YET,
        "Asked for at the last cycle; no date yet.",
        "Service manager",
    ),
    ("organisational-support", "experiential-knowledge"): Planned(
        "Lived experience is asked for when policies that affect peer workers are written.",
        PARTLY,
        "It happened for the lone working policy, but not for the new recording system.",
        "Service manager",
    ),
    ("organisational-support", "leadership-choice-control"): Planned(
        "Peer workers have a say in changes to the service that affect their role.",
        NOT_YET,
        "A peer worker goes to the planning group as a guest; a seat is not agreed yet.",
        "Service manager",
    ),
    ("organisational-support", "strengths-connections"): Planned(
        "The organisation funds travel so people can meet outside the building.",
        IN_PLACE,
        "A small travel budget, in place since last year.",
        "Service manager",
    ),
    # Records, notes and information sharing
    ("records-information", "mutuality"): Planned(
        "Notes are written in plain words that the person would recognise.",
        PARTLY,
        "Peer workers do this; the template still asks for clinical headings.",
        "Team manager",
    ),
    ("records-information", "experiential-knowledge"): Planned(
        "Peer workers choose whether their notes mention what they shared of themselves.",
        IN_PLACE,
        "Agreed in supervision guidance; nothing a peer worker shares goes in the notes.",
        "Supervisor",
    ),
    ("records-information", "leadership-choice-control"): Planned(
        "The person supported decides what is written about them and reads it.",
        NOT_YET,
        "Notes follow the service's clinical template and people do not see them.",
        "Team manager",
    ),
    ("records-information", "strengths-connections"): Planned(
        "",
        NOT_RELEVANT,
        "We chose not to record people's community links: they keep them and share what they wish.",
        "Team manager",
    ),
    # How work is allocated and matched
    ("allocation-matching", "relationships"): Planned(
        "People are matched with a peer worker after a first chat, and can ask to change.",
        IN_PLACE,
        "",
        "Peer support lead",
    ),
    ("allocation-matching", "mutuality"): Planned(
        "Matching looks at shared experience the person asks for, such as being a parent.",
        PARTLY,
        "We ask, but with a small team we cannot always match.",
        "Peer support lead",
    ),
    ("allocation-matching", "leadership-choice-control"): Planned(
        "People can ask for a peer worker themselves rather than wait to be referred.",
        PARTLY,
        "Self-referral is open in two teams out of four.",
        "Team manager",
    ),
    ("allocation-matching", "strengths-connections"): Planned(
        "Peer workers with links to a community are offered to people who want that community.",
        NOT_YET,
        "We have not yet asked peer workers which links they would be happy to use.",
        "Peer support lead",
    ),
    # Working pattern, boundaries and safety
    ("working-pattern-safety", "relationships"): Planned(
        "Visits can be long enough to get past small talk: at least an hour for a first meeting.",
        PARTLY,
        "Some weeks the rota leaves only half an hour per person.",
        "Team manager",
    ),
    ("working-pattern-safety", "mutuality"): Planned(
        "Boundaries are talked through together with the person, not set by a rule book.",
        PARTLY,
        "The lone working policy still sets rules peer workers were not asked about.",
        "Peer workers",
        by_peer_worker=True,
    ),
    ("working-pattern-safety", "experiential-knowledge"): Planned(
        "After a hard conversation a peer worker can take time out and talk to another "
        "peer worker the same day.",
        IN_PLACE,
        "A buddy list on the office wall; used often.",
        "Peer workers",
        by_peer_worker=True,
    ),
    ("working-pattern-safety", "leadership-choice-control"): Planned(
        "People choose where they meet their peer worker, within the safety plan.",
        IN_PLACE,
        "Most choose somewhere outside the building.",
        "Peer workers",
        by_peer_worker=True,
    ),
    # Pay, progression and job title
    ("pay-progression", "relationships"): Planned(
        "",
        NOT_RELEVANT,
        "The grade is set across the organisation; how relationships are supported is "
        "covered under supervision and team support.",
        "HR adviser",
    ),
    ("pay-progression", "mutuality"): Planned(
        "Peer workers are on the same band as support workers, and can move up to a peer "
        "lead post.",
        PARTLY,
        "There is one peer lead post for the whole programme.",
        "HR adviser",
    ),
    ("pay-progression", "leadership-choice-control"): Planned(
        "Peer workers chose the job title and what the badge says.",
        NOT_YET,
        "The badge says 'peer' and nobody was asked; raised with HR.",
        "HR adviser",
    ),
    # Evaluation and reflective learning
    ("evaluation-reflection", "relationships"): Planned(
        "Fidelity interviews ask people supported how the relationship feels, in their own words.",
        IN_PLACE,
        "Part of the review every six months.",
        "Reflection facilitator",
    ),
    ("evaluation-reflection", "mutuality"): Planned(
        "Peer workers reply to the draft reflection report before it is released.",
        IN_PLACE,
        "Done in the last cycle.",
        "Reflection facilitator",
    ),
    ("evaluation-reflection", "experiential-knowledge"): Planned(
        "Reflection cycles are led by a facilitator with lived experience.",
        IN_PLACE,
        "Our facilitator is a peer researcher.",
        "Reflection facilitator",
    ),
    ("evaluation-reflection", "leadership-choice-control"): Planned(
        "Peer workers choose which actions to work on after each cycle.",
        PARTLY,
        "Actions are agreed together, but managers still set their order.",
        "Reflection facilitator",
    ),
}
"""The community programme's cells as version 1 was taken. Left empty on purpose: the cells
below that are missing here (see :data:`EMPTY`)."""

EMPTY = [
    ("records-information", "relationships"),
    ("allocation-matching", "experiential-knowledge"),
    ("working-pattern-safety", "strengths-connections"),
    ("pay-progression", "experiential-knowledge"),
    ("pay-progression", "strengths-connections"),
    ("evaluation-reflection", "strengths-connections"),
]
"""Principle cells nobody has looked at yet, so the gaps page has some to show. The
cross-cutting theme, respecting the diversity of lived experience, is left empty in every
area: the team has not started on it, which the gaps page asks about."""

CHANGED_AFTER_VERSION: dict[tuple[str, str], Planned] = {
    ("records-information", "leadership-choice-control"): Planned(
        "The person supported decides what is written about them and reads it.",
        PARTLY,
        "Two teams now write the note together with the person in the last ten minutes of "
        "a meeting; the other two still use the clinical template.",
        "Team manager",
        "Trial in two teams since the spring.",
    ),
    ("supervision", "mutuality"): Planned(
        "Supervisors ask what peer workers have learnt from the people they support, as "
        "well as what they have given.",
        IN_PLACE,
        "Every supervisor has now had the briefing.",
        "Supervisor",
        by_peer_worker=True,
    ),
}
"""Two cells changed after version 1, so comparing it with the matrix shows something."""

LINKED_ACTIONS = {
    ("working-pattern-safety", "relationships"): (
        "Keep Thursday afternoons free of appointments for first meetings."
    ),
    ("organisational-support", "leadership-choice-control"): (
        "Ask for a peer worker's place on the service planning group."
    ),
}
"""Cells linked to an action of the demo evaluation's reflection cycles, by what it says."""

SECTIONS = [
    (
        "How supervision works here",
        "Every peer worker has group supervision with the peer support lead once a "
        "fortnight and one-to-one supervision once a month. You can ask for your one-to-one "
        "to be with someone who has lived experience; tell the peer support lead.",
        "supervision-support",
    ),
    (
        "Who to contact",
        "For anything about your role: the peer support lead. For pay, leave and the badge: "
        "the HR adviser. After a hard day: anyone on the buddy list on the office wall.",
        "",
    ),
]
"""The programme's own handbook sections: (title, body, the handbook section it follows;
blank: at the end)."""

VERSION_NOTE = "The first version, agreed at the team meeting with the peer workers."

# --- the crisis house programme, shown side by side -------------------------------------------

OTHER_CELLS: dict[tuple[str, str], Planned] = {
    ("role-description", "relationships"): Planned(
        "Peer workers spend time with guests from the day they arrive, without an agenda.",
        IN_PLACE,
        "",
        "House manager",
    ),
    ("role-description", "experiential-knowledge"): Planned(
        "Lived experience of a crisis is asked for in the person specification.",
        IN_PLACE,
        "",
        "House manager",
    ),
    ("recruitment", "mutuality"): Planned(
        "Former guests sit on interview panels.",
        PARTLY,
        "When someone is free to come; not every time.",
        "House manager",
    ),
    ("supervision", "mutuality"): Planned(
        "Peer workers meet as a group each week to share what they learnt from guests.",
        IN_PLACE,
        "",
        "Senior peer worker",
    ),
    ("supervision", "experiential-knowledge"): Planned(
        "Supervision is with a senior peer worker.",
        IN_PLACE,
        "",
        "Senior peer worker",
    ),
    ("records-information", "leadership-choice-control"): Planned(
        "Guests write their own part of the stay plan and read all of it.",
        IN_PLACE,
        "Since the house opened.",
        "House manager",
    ),
    ("working-pattern-safety", "relationships"): Planned(
        "Night shifts leave little time to talk with guests.",
        NOT_YET,
        "Only one peer worker at night.",
        "House manager",
    ),
    ("pay-progression", "leadership-choice-control"): Planned(
        "Peer workers chose the title 'peer supporter'.",
        IN_PLACE,
        "",
        "House manager",
    ),
}
"""A smaller matrix, for the side-by-side view: some cells the community programme has too."""
