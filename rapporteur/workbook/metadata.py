"""The metadata that makes a workbook one of ours, and its signature.

Issued questionnaires carry a hidden sheet with the agency, round, questionnaire version,
kind, language, layout fingerprint and issue number (1 for an agency's first
questionnaire of a round, 2 once it is replaced with `issue --force`...), signed with the
workspace's secret key (HMAC-SHA256). LibreOffice turns a "very hidden" sheet into a
plain hidden one that a clerk can unhide and edit, so the signature, not the hiding, is
what detects a changed agency or round.
"""

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass

METADATA_SHEET = "_rapporteur"
SIGNED_KEYS = ("format", "agency", "kind", "round", "version", "language", "fingerprint")


@dataclass(frozen=True)
class Metadata:
    agency: str
    kind: str
    round: str
    version: int
    language: str
    fingerprint: str
    format: int = 1
    issue: int = 0
    """Which of the agency's questionnaires of the round this is; 0 in questionnaires
    issued before they were numbered, whose signatures do not cover it."""

    def canonical(self) -> bytes:
        values = asdict(self)
        keys = SIGNED_KEYS + (("issue",) if self.issue else ())
        return json.dumps({key: values[key] for key in keys}, sort_keys=True).encode()

    def signature(self, secret: bytes) -> str:
        return hmac.new(secret, self.canonical(), hashlib.sha256).hexdigest()

    def signed_by(self, secret: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.signature(secret), signature)
