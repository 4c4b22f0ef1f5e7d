"""The metadata that makes a workbook one of ours, and its signature.

Issued questionnaires carry a hidden sheet with the agency, round, questionnaire version,
kind, language and layout fingerprint, signed with the workspace's secret key (HMAC-
SHA256). LibreOffice turns a "very hidden" sheet into a plain hidden one that a clerk can
unhide and edit, so the signature, not the hiding, is what detects a changed agency or
round.
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

    def canonical(self) -> bytes:
        values = asdict(self)
        return json.dumps({key: values[key] for key in SIGNED_KEYS}, sort_keys=True).encode()

    def signature(self, secret: bytes) -> str:
        return hmac.new(secret, self.canonical(), hashlib.sha256).hexdigest()

    def signed_by(self, secret: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.signature(secret), signature)
