"""An instrument for a newly published framework, so a new evaluation can pin it.

An evaluation pins an instrument version, and an instrument is tied to one framework
version. A framework just published therefore has no instrument yet. Two ways to get one:

* :func:`carry_over` re-pins an existing instrument to the new framework, when every
  domain's principles are still there (an adaptation keeps its base's keys, so an instrument
  for the base usually carries over to a rewording);
* :func:`starter_index` drafts a plainly labelled starting point from the principles'
  wording: one domain per principle, one item per aspect (or one from the definition of a
  principle without aspects), asked of the informants of the example ENRICH index and rated
  on its described 1 to 5 scale. It has not been tested and says so in its title, summary
  and notice: the team reviews and pilots it before use.
"""

from __future__ import annotations

from peerprinciples.core.frameworks import Framework, Principle
from peerprinciples.core.instruments import Domain, Instrument, Item, Question
from peerprinciples.core.library import Library

EXAMPLE_INDEX = "enrich-example-index@0.1"
"""The built-in instrument whose informants, scale and codes a starter index uses."""

_QUESTIONS = {
    "peer_worker": (
        "In your peer support work, how far does this happen, and can you give an example? “{text}”"
    ),
    "supervisor": (
        "From what you see of the peer worker's practice, how far does this happen? “{text}”"
    ),
    "supported_person": (
        "Thinking about the support you get from your peer worker, how far is this true for "
        "you? “{text}”"
    ),
}

_PROMPTS = ("Can you tell me about a recent time this happened, or did not?",)


class CarryOverError(ValueError):
    """An instrument whose domains rest on principles the new framework does not have."""


def carry_over(instrument: Instrument, framework: Framework, version: str) -> Instrument:
    """``instrument`` as version ``version``, pinned to ``framework``.

    Every domain's principles must be principles of ``framework``; otherwise
    :class:`CarryOverError` names each domain whose principles are missing. Domain titles
    are kept as they were: if the framework renamed a principle, review them.
    """
    keys = {p.key for p in framework.principles}
    missing = [
        (domain, [k for k in domain.principles if k not in keys])
        for domain in instrument.domains
        if any(k not in keys for k in domain.principles)
    ]
    if missing:
        listed = "; ".join(
            f"domain '{d.key}' ({d.title}) rests on {', '.join(repr(k) for k in gone)}"
            for d, gone in missing
        )
        raise CarryOverError(
            f"{instrument.ref} cannot be carried over to {framework.ref}: {listed}, which "
            f"{framework.ref} does not have (it has: {', '.join(sorted(keys))}). Draft a "
            "starter index for the new framework instead, or adapt the instrument's domains "
            "by hand."
        )
    if version == instrument.version and instrument.framework == framework.ref:
        raise CarryOverError(
            f"{instrument.ref} is already pinned to {framework.ref}; give the carried-over "
            "instrument a new version."
        )
    return instrument.model_copy(update={"version": version, "framework": framework.ref})


def starter_index(
    framework: Framework, key: str, version: str, library: Library | None = None
) -> Instrument:
    """A starter index for ``framework`` (see the module's docstring), as ``key@version``.

    ``library`` supplies the example index (the built-in library by default).
    """
    example = (library or Library()).instrument(EXAMPLE_INDEX)
    scale = example.scales[0]
    domains, items = [], []
    for principle in framework.principles:
        domains.append(
            Domain(
                key=principle.key,
                title=principle.title,
                description=principle.definition,
                principles=[principle.key],
            )
        )
        items += _items_for(principle, scale.key, [i.key for i in example.informants])
    return Instrument(
        key=key,
        version=version,
        title=f"Starter index for {framework.title} (draft, not yet tested)",
        framework=framework.ref,
        language=framework.language,
        description=(
            f"A starting point for a principles-based fidelity index for {framework.ref}, "
            "drafted from the wording of its principles: one domain per principle and one "
            "item per aspect, asked of the peer worker, their supervisor and the person "
            "supported and rated from 1 to 5. It has not been tested for reliability or "
            "validity. Review every question with peer workers and the people they support, "
            "add descriptions of each rating point, and pilot it before use."
        ),
        notice=(
            "A draft starter index, not a tested instrument: do not report its scores as "
            "fidelity until it has been reviewed and piloted."
        ),
        informants=list(example.informants),
        scales=[scale],
        codes=list(example.codes),
        domains=domains,
        items=items,
    )


def _items_for(principle: Principle, scale: str, informants: list[str]) -> list[Item]:
    texts = list(principle.aspects) or [principle.definition]
    return [
        Item(
            key=f"{principle.key}-{number}",
            domain=principle.key,
            scale=scale,
            informants={
                who: Question(
                    question=_QUESTIONS.get(who, "How far does this happen? “{text}”").format(
                        text=text
                    ),
                    prompts=list(_PROMPTS),
                )
                for who in informants
            },
        )
        for number, text in enumerate(texts, start=1)
    ]
