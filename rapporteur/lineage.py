"""Questions followed across questionnaire versions.

Each version declares what became of the questions of the one before: a question keeps
its id, or a question of the new version continues it under another id (`replaces`), or
it is `[[removed]]`, with the reason. From those steps a return of an earlier version is
read in the terms of a later one, so that a summary, its comparison and its trend follow
a question through its renames, and a question that did not exist in a round is told
apart from one nobody answered.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from rapporteur.definition import (
    NUMERIC_TYPES,
    TOTAL,
    Definition,
    QuestionField,
    kind_labels,
    load_definition,
)
from rapporteur.messages import Language, Localized, Verbatim, Wording, message


@cache
def origins(old: int, new: int) -> dict[str, str]:
    """For each question of version `new` that version `old` asked, its id there (either
    way: a round of a later version may be compared with one of an earlier)."""
    if old > new:
        return {earlier: later for later, earlier in origins(new, old).items()}
    found = {field.id: field.id for field in load_definition(old).fields}
    for version in range(old + 1, new + 1):
        before = {field.id for field in load_definition(version - 1).fields}
        step: dict[str, str] = {}
        for field in load_definition(version).fields:
            earlier = field.id if field.id in before else field.replaces
            if earlier in found:
                step[field.id] = found[earlier]
        found = step
    return found


def carried(data: dict[str, Any], old: int, new: int) -> dict[str, Any]:
    """A return of version `old` in the terms of version `new`: each answer under the id
    its question has now. A question the old version did not ask has no answer."""
    if old == new:
        return data
    definition = load_definition(new)
    return {
        field_id: _shaped(data[source], definition.field(field_id))
        for field_id, source in origins(old, new).items()
        if source in data
    }


def return_in_terms_of(archive, round_, agency: str, version: int) -> dict[str, Any] | None:
    """An agency's return of another round in the terms of questionnaire `version`: what
    a new return is checked against, or printed beside, so that a renamed question meets
    itself."""
    data = archive.current_return(round_, agency)
    record = archive.read_round(round_) if data is not None else None
    if data is None or record is None:
        return data
    return carried(data, record.questionnaire_version, version)


def _shaped(value: Any, field: QuestionField) -> Any:
    """An answer in the shape its question has now: a figure gets its total where the
    question gained breakdowns, and keeps only it where the question lost them all."""
    if field.breakdowns and not isinstance(value, dict) and field.type in NUMERIC_TYPES:
        return {TOTAL: value}
    if not field.breakdowns and isinstance(value, dict) and TOTAL in value:
        return value[TOTAL]
    return value


def renamed_keys(keys: dict[str, Any], old: int, new: int) -> dict[str, Any]:
    """Figures keyed "question:kind" in version `old`, keyed by the question's id in
    version `new`; those of questions version `new` no longer asks are left out."""
    if old == new:
        return keys
    successor = origins(new, old)  # each old id, the id it has in `new`
    found = {}
    for key, value in keys.items():
        field_id, _, kind = key.partition(":")
        if field_id in successor:
            found[f"{successor[field_id]}:{kind}"] = value
    return found


def asked_in(field_id: str, old: int, new: int) -> bool:
    """Whether version `old` asked the question of version `new` (under any id)."""
    return field_id in origins(old, new)


# What changed between two versions, for `rapporteur questionnaire diff` ----------------

ChangeKind = Literal["added", "renamed", "changed", "removed"]


@dataclass(frozen=True)
class Change:
    change: ChangeKind
    question: str
    """The question's id in the newer version; its old id for a removed question."""
    label: Localized
    before: str = ""
    """Its id in the older version, when it was renamed."""
    detail: tuple[Localized, ...] = ()


def changes(old: int, new: int) -> list[Change]:
    """Every question added, renamed or changed in what it asks, in the order of the newer
    questionnaire, then every question removed, with the reason given."""
    before, after = load_definition(old), load_definition(new)
    sources = origins(old, new)
    found: list[Change] = []
    for field in after.fields:
        source = sources.get(field.id)
        if source is None:
            found.append(Change("added", field.id, field.label))
            continue
        detail = _differences(before, before.field(source), after, field)
        if source != field.id:
            found.append(Change("renamed", field.id, field.label, source, detail))
        elif detail:
            found.append(Change("changed", field.id, field.label, "", detail))
    continued = set(sources.values())
    for field in before.fields:
        if field.id not in continued:
            found.append(Change("removed", field.id, field.label, "", _reasons(field.id, old, new)))
    return found


def new_kinds(old: int, new: int) -> list[str]:
    """Kinds of agency version `new` asks that version `old` did not know."""
    known = load_definition(old).kinds
    return [kind for kind in load_definition(new).kinds if kind not in known]


def _reasons(field_id: str, old: int, new: int) -> tuple[Localized, ...]:
    return tuple(
        removed.reason
        for version in range(old + 1, new + 1)
        for removed in load_definition(version).removed
        if removed.id == field_id
    )


def _differences(
    before: Definition, old: QuestionField, after: Definition, new: QuestionField
) -> tuple[Localized, ...]:
    said: list[Localized] = []
    if (old.label.es, old.label.en) != (new.label.es, new.label.en):
        said.append(_Reworded(old.label, new.label))
    # A kind of agency the older version did not have is said once, not per question.
    asked_before = {kind for kind in before.kinds if before.requirement(old, kind)}
    asked_after = {
        kind for kind in after.kinds if kind in before.kinds and after.requirement(new, kind)
    }
    if asked_after - asked_before:
        added = [kind for kind in after.kinds if kind in asked_after - asked_before]
        said.append(message("lineage.kinds_added", kinds=kind_labels(added)))
    if asked_before - asked_after:
        gone = [kind for kind in before.kinds if kind in asked_before - asked_after]
        said.append(message("lineage.kinds_removed", kinds=kind_labels(gone)))
    for breakdown in new.breakdowns:
        if breakdown not in old.breakdowns:
            label = after.breakdown(breakdown).label
            said.append(message("lineage.breakdown_added", breakdown=label))
    for breakdown in old.breakdowns:
        if breakdown not in new.breakdowns:
            label = before.breakdown(breakdown).label
            said.append(message("lineage.breakdown_removed", breakdown=label))
    if [column.id for column in old.columns] != [column.id for column in new.columns]:
        said.append(message("lineage.columns"))
    for codelist in _codelists(after, new):
        if codelist not in {c.id for c in before.codelists}:
            continue
        earlier = {code.code: code for code in before.codelist(codelist)}
        for code in after.codelist(codelist):
            if code.code not in earlier:
                said.append(message("lineage.option_added", option=code.text))
            elif (code.es, code.en) != (earlier[code.code].es, earlier[code.code].en):
                said.append(_Reworded(earlier[code.code].text, code.text, "lineage.option"))
    return tuple(said)


def _codelists(definition: Definition, field: QuestionField) -> list[str]:
    """The code lists a question's answers are given in (not the long ISO lists)."""
    found = [field.codelist, field.rows]
    found += [column.codelist for column in field.columns]
    for breakdown_id in field.breakdowns:
        breakdown = definition.breakdown(breakdown_id)
        found += [breakdown.rows, breakdown.columns]
    return [codelist for codelist in dict.fromkeys(found) if codelist]


@dataclass(frozen=True)
class _Reworded(Wording):
    """A wording that changed. In a language where it reads the same (the change was to
    the Spanish, and the translation already said it well), the Spanish change is shown:
    that is what the clerks of Spanish agencies will read."""

    before: Localized
    after: Localized
    key: str = "lineage.label"

    def render(self, language: Language) -> str:
        if self.before[language] != self.after[language]:
            return message(self.key, before=self.before, after=self.after)[language]
        before, after = Verbatim(self.before["es"]), Verbatim(self.after["es"])
        return message(f"{self.key}_in_spanish", before=before, after=after)[language]
