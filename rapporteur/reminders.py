"""E-mail drafts for the agencies whose return is not in, as drafts the office sends itself.

Each is a standard .eml file, in the agency's language, with an `X-Unsent: 1` header so
that Outlook and Thunderbird open it as a draft. Nothing is sent by the tool: the office
machines have no mail server, and a person decides.

What a draft says follows the agency's state (rapporteur.lifecycle): to an agency that
sent nothing, the questionnaire again; to one whose file was refused, what was wrong,
with its own file marked (the feedback workbook, when `collect --feedback` wrote one);
to one that filled in a replaced questionnaire, the one to use. A log beside the drafts
(log.toml) records what was drafted for which event: a second run drafts only what is
new, unless asked `again`, and never overwrites an earlier draft.
"""

import datetime
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

import tomli_w

from rapporteur.archive import Archive, utc_now
from rapporteur.messages import LANGUAGES, Day, Language, message
from rapporteur.rounds import Round
from rapporteur.status import AgencyStatus, round_record, round_status
from rapporteur.tomlfile import write_text_atomically
from rapporteur.workspace import Workspace

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
LOG = "log.toml"
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class Reminder:
    agency: str
    email: str
    reason: str
    """issued (nothing received), rejected, empty, superseded, or correction (an
    accepted return whose correction was refused)."""
    path: Path | None
    """The draft written; None when this was already drafted (see `drafted`)."""
    attachment: Path | None
    drafted: dict[str, Any] | None = None
    """The earlier draft for the same event, when nothing new was written."""


def write_reminders(
    workspace: Workspace,
    round_: Round,
    folder: Path | None,
    today: datetime.date,
    again: bool = False,
) -> list[Reminder]:
    archive = Archive(workspace.archive_dir)
    record = round_record(archive, round_)
    status = round_status(archive, workspace.registry(), round_, today)
    registry = {agency.id: agency for agency in workspace.registry()}
    folder = folder or workspace.root / "reminders" / str(round_)
    folder.mkdir(parents=True, exist_ok=True)
    log = _read_log(folder)
    reminders = []
    for entry in status.agencies:
        # An accepted return stands; only a correction refused for its errors needs a word
        # (an earlier version sent again is the office's to query, not the agency's to fix).
        if entry.returned and entry.refusal in (None, "stale"):
            continue
        if entry.agency not in registry:
            continue
        reason = "correction" if entry.returned else entry.state
        agency = registry[entry.agency]
        issued = record.current_issue(agency.id)
        event = _event(entry, issued)
        earlier = next(
            (d for d in reversed(log) if (d["agency"], d["event"]) == (agency.id, event)), None
        )
        if earlier is not None and not again:
            reminders.append(Reminder(agency.id, agency.email, reason, None, None, earlier))
            continue
        language = issued.language if issued and issued.language in LANGUAGES else agency.language
        mail, attachment = _draft(workspace, archive, record, entry, agency, issued, language)
        path = _free_name(folder, agency.id)
        write_text_atomically(path, mail.as_string())
        log.append(
            {"agency": agency.id, "event": event, "reason": reason, "file": path.name,
             "written": utc_now()}
        )  # fmt: skip
        reminders.append(Reminder(agency.id, agency.email, reason, path, attachment))
    if any(reminder.path for reminder in reminders):
        write_text_atomically(folder / LOG, tomli_w.dumps({"draft": log}))
    return reminders


def _event(entry: AgencyStatus, issued) -> str:
    """What a draft answers: the questionnaire still unanswered, or a file refused."""
    if entry.refused is not None:
        return f"refused:{entry.refused.isoformat()}"
    return f"issued:{issued.issue if issued else 0}"


def _draft(workspace, archive, record, entry, agency, issued, language: Language):
    office = workspace.settings.office
    mail = EmailMessage()
    mail["From"] = f"{office.contact_name} <{office.contact_email}>"
    mail["To"] = f"{agency.name} <{agency.email}>"
    mail["Subject"] = message("remind.subject", round=str(record.round)).render(language)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="rapporteur.invalid")
    mail["X-Unsent"] = "1"
    common = {
        "agency": agency.name,
        "round": str(record.round),
        "start": Day(record.period.start),
        "end": Day(record.period.end),
        "deadline": Day(record.deadline),
        "office": office.name,
        "contact": office.contact_name,
        "email": office.contact_email,
    }
    questionnaire = workspace.root / issued.file if issued else None
    attachment = questionnaire
    if entry.refused is None:
        body = message("remind.body", **common)
    else:
        receipt = archive.receipts(record.round, agency.id)[-1]
        problems = _problems(receipt.body.get("problems", []), language)
        feedback = workspace.feedback_dir / str(record.round) / f"{agency.id}.xlsx"
        if entry.state == "superseded":
            key = "remind.body_superseded"
        else:
            key = "remind.body_correction" if entry.returned else "remind.body_rejected"
            attachment = feedback if feedback.is_file() else questionnaire
        body = message(
            key,
            file=receipt.header["source_file"],
            received=receipt.header["received"].astimezone().strftime("%d/%m/%Y"),
            problems=problems,
            marked=message("remind.marked" if attachment == feedback else "remind.again").render(
                language
            ),
            **common,
        )
    mail.set_content(body.render(language))
    if attachment is not None and attachment.is_file():
        mail.add_attachment(
            attachment.read_bytes(), maintype=XLSX[0], subtype=XLSX[1],
            filename=f"{agency.id}.xlsx",
        )  # fmt: skip
    else:
        attachment = None
    return mail, attachment


def _problems(problems: list[dict[str, Any]], language: Language) -> str:
    """The main problems of a refused file, as lines for a letter: errors first."""
    ordered = sorted(problems, key=lambda problem: problem.get("severity") != "error")
    lines = []
    for problem in ordered[:SHOWN_PROBLEMS]:
        where = ""
        if problem.get("cell"):
            where = message("remind.where", sheet=problem["sheet"], cell=problem["cell"])
            where = where.render(language)
        lines.append(f"- {where}{problem['message'][language]}")
    if len(problems) > SHOWN_PROBLEMS:
        more = message("remind.more", count=len(problems) - SHOWN_PROBLEMS)
        lines.append(more.render(language))
    return "\n".join(lines)


def _read_log(folder: Path) -> list[dict[str, Any]]:
    path = folder / LOG
    if not path.is_file():
        return []
    return tomllib.loads(path.read_text(encoding="utf-8")).get("draft", [])


def _free_name(folder: Path, agency: str) -> Path:
    """The agency's draft file, numbered after the drafts already there: none is lost."""
    path, number = folder / f"{agency}.eml", 1
    while path.exists():
        number += 1
        path = folder / f"{agency}-{number}.eml"
    return path
