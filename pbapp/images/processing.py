"""Turn an uploaded file into a picture safe to publish, or say why not.

Everything is decoded and encoded again with Pillow: what is served is pixels we wrote, never
the bytes someone sent, so EXIF (camera, GPS position, time), XMP, comments and colour profiles
are gone, and a file that merely claims to be a picture is refused. Pure: no Flask, no database.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

#: the longest side kept; cards and pages never show more than this
MAX_SIDE = 1200
#: the file a board or staff may send; the stored picture is much smaller
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
#: more pixels than any camera makes: a decompression bomb (a tiny file that fills memory)
MAX_PIXELS = 50_000_000
#: what Pillow found -> (content type, format written, extension)
FORMATS = {"JPEG": ("image/jpeg", "JPEG", "jpg"), "PNG": ("image/png", "PNG", "png"),
           "WEBP": ("image/webp", "WEBP", "webp")}


class ImageRefused(ValueError):
    """The upload is not kept; ``reason`` is one of the keys of ``REASONS`` in the forms."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_image(raw: bytes) -> CleanImage:
    """A re-encoded copy of ``raw``: at most ``MAX_SIDE`` pixels a side, turned upright as its
    EXIF orientation says, with no metadata. Refuses empty or oversized files, anything that is
    not a JPEG, PNG or WebP, animations, and more than ``MAX_PIXELS`` pixels (checked from the
    header, before any pixel is decoded)."""
    if not raw:
        raise ImageRefused("empty")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImageRefused("too_large")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(raw))
            # MPO: a phone's JPEG with a second, preview picture inside; the first is the photo
            found = "JPEG" if picture.format == "MPO" else picture.format
            if found not in FORMATS:
                raise ImageRefused("format")
            width, height = picture.size
            if width * height > MAX_PIXELS:
                raise ImageRefused("too_many_pixels")
            if found != "JPEG" and getattr(picture, "n_frames", 1) > 1:
                raise ImageRefused("animated")
            content_type, out_format, _ext = FORMATS[found]
            picture.load()
            picture = ImageOps.exif_transpose(picture)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            if isinstance(error, ImageRefused):
                raise
            raise ImageRefused("format") from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    picture = _plain_pixels(picture, out_format)
    out = io.BytesIO()
    if out_format == "JPEG":
        picture.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif out_format == "WEBP":
        picture.save(out, "WEBP", quality=85, method=4)
    else:
        picture.save(out, "PNG", optimize=True)
    return CleanImage(out.getvalue(), content_type, picture.width, picture.height)


def _plain_pixels(picture: Image.Image, out_format: str) -> Image.Image:
    """The pixels alone in a new image (``info``, and with it every profile and comment, left
    behind), in a mode the format writes."""
    if picture.mode == "P" and out_format != "PNG" or picture.mode not in (
            "RGB", "RGBA", "L", "LA", "P"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() or
                                  "transparency" in picture.info else "RGB")
    if out_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    plain = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    if picture.mode == "P":
        plain.putpalette(picture.getpalette())
        if "transparency" in picture.info:
            plain.info["transparency"] = picture.info["transparency"]
    return plain
