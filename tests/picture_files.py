"""Pictures made in memory for the tests: a photo with GPS in its EXIF, an animation, a bomb."""
from __future__ import annotations

import io

from PIL import Image


def photo(width: int = 2400, height: int = 1600, fmt: str = "JPEG", gps: bool = True,
          orientation: int | None = None) -> bytes:
    """A photo as a phone would send it: camera, time and position in its EXIF."""
    picture = Image.new("RGB", (width, height), (200, 80, 40))
    for x in range(0, width, 50):  # some detail, so the encoder has work to do
        picture.paste((20, 120, 200), (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:12:01 10:00:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)}
    out = io.BytesIO()
    kwargs = {"exif": exif.tobytes()}
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Comment", "taken at 12 Elm Street")
        kwargs["pnginfo"] = info
    picture.save(out, fmt, **kwargs)
    return out.getvalue()


def animation() -> bytes:
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(out, "GIF")
    return out.getvalue()


def bomb() -> bytes:
    """A small PNG that claims 20,000 x 20,000 pixels: 400 million, far past the limit."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    return out.getvalue()


def has_metadata(data: bytes) -> list[str]:
    """What a served picture still carries: EXIF tags, PNG text, an ICC profile."""
    picture = Image.open(io.BytesIO(data))
    found = [f"exif {tag}" for tag in picture.getexif()]
    found += [f"info {key}" for key in picture.info if key in (
        "exif", "icc_profile", "xmp", "comment", "Comment", "XML:com.adobe.xmp")]
    return found
