"""A consultant's logo upload, turned into a small, clean PNG that is safe to store and to print.

The upload is never kept: whatever it was (a polyglot, a file with GPS data, a camera photo lying
on its side), what we keep is a PNG we encoded ourselves from its decoded pixels.
"""

from __future__ import annotations

import io
import struct
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.utils.translation import gettext
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 20_000_000
MAX_SIZE = (800, 400)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Detected from the content by Pillow, never from the file name or the content type.
_FORMATS = ("PNG", "JPEG")
# How Pillow fails on a damaged or hostile file, depending on where in the file the damage is.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)


class LogoError(ValueError):
    """An upload we do not accept; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def reencode_logo(upload: bytes | IO[bytes]) -> bytes:
    """The logo as a fresh PNG of at most 800x400 pixels, in RGB or RGBA, without any metadata."""
    data = _read_limited(upload)
    image = _open(data)
    try:
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        image.thumbnail(MAX_SIZE, Image.Resampling.LANCZOS)
        # A new image holds the pixels only: no EXIF, ICC profile, text chunks or comments.
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
    except _DECODE_ERRORS as error:
        raise LogoError(_damaged()) from error
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _read_limited(upload: bytes | IO[bytes]) -> bytes:
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload[: MAX_UPLOAD_BYTES + 1])
    else:
        try:
            upload.seek(0)  # a form field may already have read it
        except (AttributeError, OSError):
            pass
        data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise LogoError(
            gettext("The logo file is larger than %(limit)s MB. Please upload a smaller file.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise LogoError(gettext("The logo file is empty."))
    return data


def _open(data: bytes) -> Image.Image:
    """Reads the header, checks the size, then decodes every pixel, so a damaged file fails here."""
    try:
        with _strict_decoding():
            image = Image.open(io.BytesIO(data), formats=_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise LogoError(
            gettext("The logo has too many pixels. Please upload an image of at most %(limit)s megapixels.")
            % {"limit": MAX_PIXELS // 1_000_000}
        ) from error
    except UnidentifiedImageError as error:
        raise LogoError(
            gettext("The logo must be a PNG or JPEG image. Other formats such as SVG, GIF or WebP are not accepted.")
        ) from error
    except _DECODE_ERRORS as error:
        raise LogoError(_damaged()) from error
    return image


_STRICT = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow as it is out of the box: truncated data and huge images are errors.

    WeasyPrint switches on LOAD_TRUNCATED_IMAGES for the whole process when it is imported, and then
    Pillow pads a cut-off file with grey and ignores decoder errors. Both settings are process-wide;
    while we hold them, a report rendered in another thread decodes its images strictly too, which
    is harmless, since the only images in our reports are logos that passed through here.
    """
    with _STRICT, warnings.catch_warnings():
        # Pillow warns before it errors on huge images; either way we refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _damaged() -> str:
    return gettext("The logo file is damaged or incomplete. Please save it again as PNG or JPEG and upload it anew.")
