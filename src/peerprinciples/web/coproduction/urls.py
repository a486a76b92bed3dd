"""URLs of the co-production app (inside ``coproduction/``)."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.coproduction.views import (
    cards,
    drafting,
    drafting_mapping,
    drafting_principle,
    evidence,
    exchange,
    mapping,
    projects,
    publishing,
    ratings,
    rounds,
    sorting,
)

app_name = "coproduction"
P = "<int:project_id>/"
urlpatterns = [
    # Projects, members and stages: views/projects.py
    path("", projects.index, name="index"),
    path("new/", projects.create, name="create"),
    path(P, projects.project, name="project"),
    path(P + "settings/", projects.settings, name="settings"),
    path(P + "members/", projects.members, name="members"),
    path(P + "members/<int:member_id>/", projects.member, name="member"),
    path(P + "me/", projects.me, name="me"),
    # The literature review: views/evidence.py
    path(P + "evidence/", evidence.evidence, name="evidence"),
    path(P + "evidence/figure.svg", evidence.figure_svg, name="evidence_svg"),
    path(P + "evidence/categories.csv", evidence.figure_csv, name="evidence_csv"),
    path(P + "evidence/sources/", evidence.sources, name="sources"),
    path(P + "evidence/sources/<int:source_id>/", evidence.source, name="source"),
    path(P + "evidence/codebook/", evidence.codebook, name="codebook"),
    path(P + "evidence/categories/<int:category_id>/", evidence.category, name="category"),
    path(P + "evidence/codes/<int:code_id>/", evidence.code, name="code"),
    path(P + "evidence/import/", evidence.import_evidence, name="evidence_import"),
    path(P + "evidence/export/<str:layout>/", evidence.export_evidence, name="evidence_export"),
    # The panel's cards: views/cards.py
    path(P + "cards/", cards.cards, name="cards"),
    path(P + "cards/<int:card_id>/", cards.card, name="card"),
    path(P + "cards/paper/", cards.paper_cards, name="paper_cards"),
    path(P + "cards/merge/", cards.merge_cards, name="merge_cards"),
    # Sorting, at a meeting and online: views/sorting.py
    path(P + "group-sorts/", sorting.group_sorts, name="group_sorts"),
    path(P + "group-sorts/<int:sort_id>/", sorting.group_sort, name="group_sort"),
    path(P + "group-sorts/<int:sort_id>/piles/", sorting.group_piles, name="group_piles"),
    path(P + "group-sorts/<int:sort_id>/place/", sorting.group_place, name="group_place"),
    path(P + "my-sort/", sorting.my_sort, name="my_sort"),
    path(P + "my-sort/piles/", sorting.my_sort_piles, name="my_sort_piles"),
    path(P + "my-sort/place/", sorting.my_sort_place, name="my_sort_place"),
    path(P + "sorts/", sorting.progress, name="sort_progress"),
    # The concept map: views/mapping.py
    path(P + "map/", mapping.concept_map, name="map"),
    path(P + "map/run/", mapping.run, name="map_run"),
    path(P + "map/<int:map_id>/map.svg", mapping.map_svg, name="map_svg"),
    path(P + "map/<int:map_id>/map.csv", mapping.map_csv, name="map_csv"),
    path(P + "map/<int:map_id>/clusters/", mapping.clusters, name="map_clusters"),
    # Ratings of the statements: views/ratings.py
    path(P + "rate/", ratings.rate, name="rate"),
    path(P + "ratings/", ratings.results, name="ratings"),
    path(P + "ratings/scales/", ratings.scales, name="scales"),
    path(P + "ratings/ladder.svg", ratings.ladder_svg, name="ladder_svg"),
    path(P + "ratings/go-zone.svg", ratings.go_zone_svg, name="go_zone_svg"),
    # RCMap's four files, in and out: views/exchange.py
    path(P + "rcmap/import/", exchange.rcmap_import, name="rcmap_import"),
    path(P + "rcmap/import/<int:upload_id>/", exchange.rcmap_preview, name="rcmap_preview"),
    path(P + "rcmap/export/", exchange.rcmap_export, name="rcmap_export"),
    # Values, draft principles and the links from categories and piles: views/drafting*.py
    path(P + "values/", drafting.values, name="values"),
    path(P + "values/<int:value_id>/", drafting.value, name="value"),
    path(P + "principles/", drafting.principles, name="principles"),
    path(P + "principles/<int:principle_id>/", drafting_principle.principle, name="principle"),
    path(P + "themes/<int:theme_id>/", drafting.theme, name="theme"),
    path(P + "principles/mapping/", drafting_mapping.mapping, name="mapping"),
    path(P + "principles/mapping.svg", drafting_mapping.mapping_svg, name="mapping_svg"),
    path(P + "principles/coverage.csv", drafting_mapping.coverage_csv, name="coverage_csv"),
    # Drafting rounds: views/rounds.py
    path(P + "rounds/", rounds.rounds, name="rounds"),
    path(P + "rounds/<int:number>/", rounds.round_page, name="round"),
    path(P + "rounds/<int:number>/vote/", rounds.vote, name="round_vote"),
    path(P + "rounds/<int:number>/close/", rounds.close, name="round_close"),
    path(P + "rounds/<int:number>/changes/", rounds.changes, name="round_changes"),
    path(P + "rounds/<int:number>/results.csv", rounds.results_csv, name="round_csv"),
    # Publishing a framework version: views/publishing.py
    path(P + "framework/", publishing.publish, name="publish"),
    path(P + "framework/reopen/", publishing.reopen, name="reopen"),
    path(P + "framework/<int:publication_id>/", publishing.publication, name="publication"),
    path(
        P + "framework/<int:publication_id>/<str:file_name>",
        publishing.download,
        name="publication_file",
    ),
]
