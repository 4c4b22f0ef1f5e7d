"""Reminder e-mails for agencies that have not returned, as drafts the office sends itself.

Each is a standard .eml file, in the agency's language, with its questionnaire attached
and an `X-Unsent: 1` header so that Outlook and Thunderbird open it as a draft. Nothing
is sent by the tool: the office machines have no mail server, and a person decides.
"""

import datetime
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from rapporteur.archive import Archive
from rapporteur.messages import message
from rapporteur.rounds import Round
from rapporteur.status import round_record, round_status
from rapporteur.tomlfile import write_text_atomically
from rapporteur.workspace import Workspace

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class Reminder:
    agency: str
    email: str
    path: Path
    attachment: Path | None


def write_reminders(
    workspace: Workspace, round_: Round, folder: Path | None, today: datetime.date
) -> list[Reminder]:
    archive = Archive(workspace.archive_dir)
    record = round_record(archive, round_)
    status = round_status(archive, workspace.registry(), round_, today)
    registry = {agency.id: agency for agency in workspace.registry()}
    folder = folder or workspace.root / "reminders" / str(round_)
    folder.mkdir(parents=True, exist_ok=True)
    office = workspace.settings.office
    written = []
    for entry in status.agencies:
        if entry.returned or entry.agency not in registry:
            continue
        agency = registry[entry.agency]
        issued = record.current_issue(agency.id)
        language = (
            issued.language if issued and issued.language in ("es", "en") else agency.language
        )
        mail = EmailMessage()
        mail["From"] = f"{office.contact_name} <{office.contact_email}>"
        mail["To"] = f"{agency.name} <{agency.email}>"
        mail["Subject"] = message("remind.subject", round=str(round_)).render(language)
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(domain="rapporteur.invalid")
        mail["X-Unsent"] = "1"
        mail.set_content(
            message(
                "remind.body",
                agency=agency.name,
                round=str(round_),
                start=record.period.start.strftime("%d/%m/%Y"),
                end=record.period.end.strftime("%d/%m/%Y"),
                deadline=record.deadline.strftime("%d/%m/%Y"),
                office=office.name,
                contact=office.contact_name,
                email=office.contact_email,
            ).render(language)
        )
        attachment = workspace.root / issued.file if issued else None
        if attachment is not None and attachment.is_file():
            mail.add_attachment(
                attachment.read_bytes(),
                maintype=XLSX[0],
                subtype=XLSX[1],
                filename=f"{agency.id}.xlsx",
            )
        else:
            attachment = None
        path = folder / f"{agency.id}.eml"
        write_text_atomically(path, mail.as_string())
        written.append(Reminder(agency.id, agency.email, path, attachment))
    return written
