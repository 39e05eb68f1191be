"""Cleaning an upload: resized, upright, metadata gone; everything odd refused (no app needed)."""
import io

import pytest
from PIL import Image

from pbapp.images.processing import MAX_SIDE, ImageRefused, clean_image

from picture_files import animation, bomb, gif, has_metadata, photo


@pytest.mark.parametrize("fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                               ("WEBP", "image/webp")])
def test_a_photo_is_resized_and_loses_its_metadata(fmt, content_type):
    raw = photo(fmt=fmt)
    assert Image.open(io.BytesIO(raw)).getexif()  # the test photo does carry EXIF (GPS too)
    clean = clean_image(raw)
    assert clean.content_type == content_type
    assert (clean.width, clean.height) == (MAX_SIDE, 800)
    served = Image.open(io.BytesIO(clean.data))
    assert served.size == (MAX_SIDE, 800) and served.format == fmt
    assert has_metadata(clean.data) == []
    assert len(clean.digest) == 64


def test_a_small_picture_keeps_its_size_and_a_sideways_one_is_turned_upright():
    assert (clean_image(photo(300, 200)).width, clean_image(photo(300, 200)).height) == (300, 200)
    turned = clean_image(photo(300, 200, orientation=6))  # "rotate 90° clockwise to view"
    assert (turned.width, turned.height) == (200, 300)
    tall = clean_image(photo(1000, 5000, gps=False))
    assert (tall.width, tall.height) == (240, MAX_SIDE)


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty"), (b"GIF89a not really", "format"), (b"%PDF-1.7 a document", "format"),
    (gif(), "format"), (animation(), "animated"), (bomb(), "too_many_pixels"),
    (photo()[:2000], "format"), (b"\xff" * (9 * 1024 * 1024), "too_large")],
    ids=["empty", "text", "pdf", "gif", "animated", "bomb", "truncated", "too-large"])
def test_odd_files_are_refused_with_a_reason(raw, reason):
    with pytest.raises(ImageRefused) as refused:
        clean_image(raw)
    assert refused.value.reason == reason
