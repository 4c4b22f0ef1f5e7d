"""Statistical disclosure control for `summary --publish`: tables that survive an attack.

A publication is every view of a round's summary (by region, by kind of agency, by agency)
with its comparison columns and its trend. It is protected as one, because a reader can
hold all of it side by side:

1. what is never published goes: free text, and per-agency rows of the kinds whose
   agencies are confidential (`confidential_kinds`, NGOs by default);
2. figures about persons are sensitive when small (1 to threshold − 1; the higher
   threshold below national level) or when fewer than `minimum_agencies` agencies of a
   confidential kind give them (`suppression.py`);
3. the other figures to hide are chosen by integer programming so that no hidden figure
   can be recovered, nor narrowed beyond what its mark says, from everything printed
   (`suppression.py`, `attacker.py`);
4. the result is attacked again as printed, and published only if it holds (`audit.py`).
"""

from typing import Literal

from rapporteur.archive import Archive
from rapporteur.disclosure.audit import Audit, audit
from rapporteur.disclosure.model import Facts, Rules, build_model, facts_of
from rapporteur.disclosure.publication import apply, copied, prepare
from rapporteur.disclosure.suppression import protect
from rapporteur.messages import message
from rapporteur.rounds import Round
from rapporteur.summary import Grouping, Summary, build_summary

__all__ = [
    "GROUPINGS",
    "Audit",
    "Rules",
    "publish",
    "publish_round",
    "publish_views",
    "refusal",
    "rules_of",
]

GROUPINGS: tuple[Grouping, ...] = ("region", "kind", "agency")


def rules_of(settings) -> Rules:
    """The rules of a workspace's `[publication]` settings."""
    return Rules(
        threshold=settings.threshold,
        threshold_detailed=settings.threshold_detailed,
        minimum_agencies=settings.minimum_agencies,
        confidential_kinds=frozenset(settings.confidential_kinds),
        protection_percent=settings.protection_percent,
        minimum_percentage_base=settings.minimum_percentage_base,
        time_limit=settings.time_limit_seconds,
    )


def publish_round(
    archive: Archive,
    registry,
    rules: Rules,
    round_: Round | None = None,
    grouping: Grouping = "region",
    sections: list[str] | None = None,
    compare: Round | Literal["default"] | None = "default",
    force: bool = False,
) -> tuple[Summary, Audit]:
    """One view of a round's publication, and the audit of the whole publication.

    Every view is protected together, whichever is asked for, so that the same figure is
    hidden in all of them; `sections` only chooses which tables (and trend columns) of the
    view are returned."""
    loaded: dict = {}
    published, report = publish_views(archive, registry, rules, round_, compare, force, loaded)
    asked = build_summary(
        archive, registry, round_, grouping, sections, compare, loaded, force=force
    )
    summary = published[grouping]
    by_id = {table.id: table for table in summary.tables}
    tables = []
    for wanted in asked.tables:
        table = by_id.get(wanted.id)
        if table is not None:
            keys = {column.key for column in wanted.columns}
            table.columns = [column for column in table.columns if column.key in keys]
            tables.append(table)
    if tables and any(table.free_text for table in asked.tables):
        tables[0].notes.append(message("publish.no_free_text"))
    summary.tables = tables
    return summary, report


def publish_views(
    archive: Archive,
    registry,
    rules: Rules,
    round_: Round | None = None,
    compare: Round | Literal["default"] | None = "default",
    force: bool = False,
    loaded: dict | None = None,
) -> tuple[dict[str, Summary], Audit]:
    """Every view of a round's publication (by region, kind and agency, each with its
    trend read whole), protected together, and the audit of the whole. `loaded` shares
    the rounds read with the caller."""
    loaded = {} if loaded is None else loaded
    views = {
        view: build_summary(
            archive, registry, round_, view, None, compare, loaded, True, force=force
        )
        for view in GROUPINGS
    }
    return publish(views, rules)


def refusal(report: Audit):
    """The error that stops a publication whose audit failed, with each problem found."""
    from rapporteur.problems import Problem, PublicationError

    problems = tuple(Problem("audit", "error", problem) for problem in report.problems)
    return PublicationError("audit.refused", short=len(report.short), problems=problems)


def publish(
    views: dict[str, Summary], rules: Rules, facts: Facts | None = None
) -> tuple[dict[str, Summary], Audit]:
    """The published views and their audit. The caller must not print or write a
    publication whose audit is not `ok`. `facts` are read from the views' rounds unless
    given."""
    prepared = prepare(views, rules)
    facts = facts or facts_of(prepared)
    model = build_model(prepared, rules, facts)
    protection = protect(model, rules)
    published = {view: copied(summary) for view, summary in prepared.items()}
    apply(published, model, protection, rules)
    return published, audit(published, rules, facts)
