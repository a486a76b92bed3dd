"""The rating form's items, built in Python, are the markup the template loops drew.

Each item's radios are put together once per value (``ItemField.choices_html``), and each
item's fieldset around them once per item (``ItemField.html``), instead of in template loops
over 320 radios and 40 fieldsets. These tests draw the same markup with the template the form
used before and compare the two, element by element: the legend, prompts, "optional" marks,
error messages and their links, the labels, the checked radio (a saved draft's value, a
posted value, nothing) and the escaping of text from the index.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from tests.web.conftest import Team
from tests.web.markup import tree as _tree

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.web.interviews.forms import (
    ItemField,
    flat_items,
    rating_groups,
    rating_sections,
)

pytestmark = pytest.mark.django_db

LOOPS = Template(
    """
{% for option in item.options %}
  <div class="option">
    <input type="radio" name="{{ item.name }}" id="{{ option.id }}" value="{{ option.value }}"{% if option.checked %} checked{% endif %}>
    <label for="{{ option.id }}"><span class="point">{{ option.point }}</span> — <span class="scale-label">{{ option.label }}</span>{% if option.anchor %}<span class="visually-hidden">:</span> <span class="anchor">{{ option.anchor }}</span>{% endif %}</label>
  </div>
{% endfor %}
<div class="codes">
  {% for option in item.codes %}
    <div class="option">
      <input type="radio" name="{{ item.name }}" id="{{ option.id }}" value="{{ option.value }}"{% if option.checked %} checked{% endif %}>
      <label for="{{ option.id }}"><span class="point">{{ option.value }}</span> — <span class="scale-label">{{ option.label }}</span>{% if option.anchor %}<span class="visually-hidden">:</span> <span class="anchor">{{ option.anchor }}</span>{% endif %}</label>
    </div>
  {% endfor %}
  <div class="option">
    <input type="radio" name="{{ item.name }}" id="{{ item.unrated.id }}" value=""{% if item.unrated.checked %} checked{% endif %}>
    <label for="{{ item.unrated.id }}">{{ item.unrated.label }}</label>
  </div>
</div>
"""  # noqa: E501 (the template lines as they were)
)


FIELDSET = Template(
    """
<fieldset class="item{% if item.error %} field-error{% endif %}" id="{{ item.id }}"{% if item.error %} aria-describedby="{{ item.id }}-error"{% endif %}>
  <legend>
    <span class="item-number">Item {{ item.number }}{% if not item.required %} <span class="optional">(optional)</span>{% endif %}</span>
    {{ item.question }}
  </legend>
  {% if item.prompts %}
    <p class="hint">Follow-up prompts:</p>
    <ul class="prompts hint">{% for prompt in item.prompts %}<li>{{ prompt }}</li>{% endfor %}</ul>
  {% endif %}
  {% if item.error %}<p class="error-message" id="{{ item.id }}-error"><span class="visually-hidden">Error:</span> {{ item.error }}</p>{% endif %}
  <div class="choices">
{{ item.choices_html }}
  </div>
</fieldset>
"""  # noqa: E501 (the template lines as they were)
)


def _items(
    instrument: Instrument,
    team: Team,
    values: dict[str, str],
    problems: dict[str, str] | None = None,
) -> list[ItemField]:
    framework = team.stored_instrument.framework.model()
    groups = rating_groups(instrument, framework, "peer_worker", values, problems or {})
    return flat_items(groups)


def _same_markup(item: ItemField) -> None:
    assert _tree(str(item.choices_html)) == _tree(LOOPS.render(Context({"item": item})))
    assert _tree(str(item.html)) == _tree(FIELDSET.render(Context({"item": item})))


def test_every_item_draws_the_radios_the_template_drew(team: Team) -> None:
    keys = team.item_keys()
    values = {keys[0]: "1", keys[1]: "NA", keys[2]: "", keys[3]: "not a value"}
    for item in _items(team.instrument, team, values):
        _same_markup(item)


def test_exactly_the_chosen_radio_is_checked(team: Team) -> None:
    keys = team.item_keys()
    values = {keys[0]: "3", keys[1]: "NA"}
    first, second, third = _items(team.instrument, team, values)[:3]
    assert str(first.choices_html).count(" checked") == 1
    assert f'id="item-{keys[0]}-3" value="3" checked>' in first.choices_html
    assert f'id="item-{keys[1]}-NA" value="NA" checked>' in second.choices_html
    assert f'id="item-{keys[2]}-unrated" value="" checked>' in third.choices_html
    # The same item with another value does not keep the first one's choice.
    again = _items(team.instrument, team, {keys[0]: "2"})[0]
    assert f'id="item-{keys[0]}-3" value="3">' in again.choices_html
    assert f'id="item-{keys[0]}-2" value="2" checked>' in again.choices_html


def test_text_from_the_index_is_escaped(team: Team) -> None:
    document = team.instrument.model_dump(mode="json", exclude_none=True)
    scale = document["scales"][0]
    first_point = next(iter(scale["anchors"]))
    scale["anchors"][first_point] = '<b>"Not yet" & rarely</b>'
    instrument = Instrument.model_validate(document)
    items = _items(instrument, team, {})
    html = str(items[0].choices_html)
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Not yet&quot; &amp; rarely&lt;/b&gt;" in html
    for item in items:
        _same_markup(item)


def test_items_with_prompts_optional_items_and_errors_draw_the_fieldsets_the_template_drew(
    team: Team,
) -> None:
    items = team.instrument.items_for("peer_worker")
    assert any(i.informants["peer_worker"].prompts for i in items), "needs an item with prompts"
    assert any(not i.required for i in items), "needs an optional item"
    keys = team.item_keys()
    problems = {keys[0]: "Choose a rating or a code.", keys[1]: 'Not "<b>" & such.'}
    drawn = _items(team.instrument, team, {keys[2]: "2"}, problems)
    for item in drawn:
        _same_markup(item)
    first, second = drawn[:2]
    assert 'class="item field-error"' in first.html
    assert f'aria-describedby="item-{keys[0]}-error"' in first.html
    assert "&quot;&lt;b&gt;&quot; &amp; such." in second.html
    # The same items drawn again without problems show no error: heads kept for items
    # without an error are never ones drawn with an error.
    again = _items(team.instrument, team, {})
    assert all("field-error" not in item.html for item in again)
    for item in again:
        _same_markup(item)


SECTION = Template(
    """
<section class="principle-group" aria-labelledby="domain-{{ group.key }}">
  <h2 id="domain-{{ group.key }}">{{ group.title }}</h2>
  <p class="principles">Principle{{ group.principles|length|pluralize }}: {{ group.principles|join:"; " }}</p>
  {% for item in group.items %}{{ item.html }}{% endfor %}
</section>
"""  # noqa: E501 (the template lines as they were)
)


def test_each_domain_s_section_is_the_markup_the_template_drew(team: Team) -> None:
    document = team.instrument.model_dump(mode="json", exclude_none=True)
    document["domains"][0]["title"] = 'Trust & "safety" <first>'
    instrument = Instrument.model_validate(document)
    framework = team.stored_instrument.framework.model()
    groups = rating_groups(instrument, framework, "peer_worker", {}, {})
    counts = {len(group.principles) for group in groups}
    assert 1 in counts, "needs a domain rating fidelity to one principle"
    for group in groups:
        drawn = str(group.section_html)
        assert _tree(drawn) == _tree(SECTION.render(Context({"group": group})))
    assert "Trust &amp; &quot;safety&quot; &lt;first&gt;" in groups[0].section_html
    with_many = [g for g in groups if len(g.principles) > 1]
    for group in with_many:
        assert "Principles: " + "; ".join(group.principles) in group.section_html


def test_whole_items_are_kept_per_value_and_never_with_an_error(team: Team) -> None:
    keys = team.item_keys()
    first = _items(team.instrument, team, {keys[0]: "2"})[0]
    again = _items(team.instrument, team, {keys[0]: "2"})[0]
    other = _items(team.instrument, team, {keys[0]: "4"})[0]
    assert again.html is first.html  # kept, not put together again
    assert other.html is not first.html
    assert f'id="item-{keys[0]}-4" value="4" checked>' in other.html
    wrong = _items(team.instrument, team, {keys[0]: "not a value"})[0]
    assert _items(team.instrument, team, {keys[0]: "not a value"})[0].html is not wrong.html
    with_error = _items(team.instrument, team, {keys[0]: "2"}, {keys[0]: "Choose one."})[0]
    assert "Choose one." in with_error.html
    assert "Choose one." not in _items(team.instrument, team, {keys[0]: "2"})[0].html
    _same_markup(with_error)
    _same_markup(other)


def _joined_sections(
    instrument: Instrument, framework: Framework, values: dict[str, str], problems: dict[str, str]
) -> str:
    groups = rating_groups(instrument, framework, "peer_worker", values, problems)
    return "".join(str(group.section_html) for group in groups)


def test_the_form_s_sections_drawn_at_once_are_the_groups_sections(team: Team) -> None:
    keys = team.item_keys()
    framework = team.stored_instrument.framework.model()
    cases = [
        ({}, {}),
        ({keys[0]: "3", keys[1]: "NA", keys[2]: "not a value"}, {}),
        ({keys[0]: "3"}, {keys[0]: "Choose one.", keys[4]: 'Not "<b>" & such.'}),
    ]
    for values, problems in cases:
        for _ in range(2):  # drawn, then drawn from what was kept
            drawn = rating_sections(team.instrument, framework, "peer_worker", values, problems)
            assert str(drawn) == _joined_sections(team.instrument, framework, values, problems)
    with_error = rating_sections(
        team.instrument, framework, "peer_worker", {}, {keys[0]: "Choose one."}
    )
    assert with_error.count("field-error") == 1
    assert "field-error" not in rating_sections(team.instrument, framework, "peer_worker", {}, {})


def test_the_form_s_layout_is_kept_per_framework_and_informant(team: Team) -> None:
    framework = team.stored_instrument.framework.model()
    first = rating_sections(team.instrument, framework, "peer_worker", {}, {})
    # Another framework object (a later version, say) with a principle renamed draws its
    # own titles, not the ones kept for the first.
    document = framework.model_dump(mode="json", exclude_none=True)
    document["principles"][0]["title"] = "Renamed & <escaped>"
    renamed = Framework.model_validate(document)
    drawn = str(rating_sections(team.instrument, renamed, "peer_worker", {}, {}))
    assert "Renamed &amp; &lt;escaped&gt;" in drawn
    assert "Renamed" not in first
    assert drawn == _joined_sections(team.instrument, renamed, {}, {})
    # Each informant is asked its own items.
    informants = [i.key for i in team.instrument.informants]
    other = next(i for i in informants if i != "peer_worker")
    theirs = rating_sections(team.instrument, framework, other, {}, {})
    expected = "".join(
        str(g.section_html) for g in rating_groups(team.instrument, framework, other, {}, {})
    )
    assert str(theirs) == expected
    assert str(theirs) != str(first)
