"""The branding a report is rendered with, independent of where it is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Brand:
    name: str  # person or firm, on the cover and in every page footer
    address: str = ""  # free text, line breaks kept
    logo_png: bytes | None = None  # already re-encoded by branding.logo, never raw upload bytes
    accent_color: str = ""  # "#rrggbb", already checked for contrast against white
    intro: str = ""  # the consultant's introduction on the cover page

    def fingerprint(self) -> str:
        """Changes whenever anything visible changes, so a cached PDF is rendered again."""
        digest = hashlib.sha256()
        for part in (self.name, self.address, self.accent_color, self.intro):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(self.logo_png or b"")
        return digest.hexdigest()[:16]
