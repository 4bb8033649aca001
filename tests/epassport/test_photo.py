"""The passport photo check on composed and generated images.

The portrait is NASA's photo of astronaut Eileen Collins as shipped by scikit-image
(``skimage.data.astronaut()``, public domain), cropped to 35 x 45 mm proportions: her face on a
light, plain studio background. Everything else is generated from it or from scratch.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter

from pandu.applications.photo import check_photo

skimage_data = pytest.importorskip("skimage.data")


@pytest.fixture(scope="module")
def astronaut() -> Image.Image:
    return Image.fromarray(skimage_data.astronaut())


@pytest.fixture(scope="module")
def good(astronaut) -> Image.Image:
    """Head and shoulders, 200 x 257 pixels of the original scaled to 440 x 566 (35:45)."""
    return astronaut.crop((125, 0, 325, 257)).resize((440, 566), Image.LANCZOS)


def as_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def test_a_good_photo_passes_with_one_face_found(good):
    report = check_photo(as_jpeg(good))
    assert report.ok, report.as_dict()
    assert len(report.faces) == 1
    assert 0.3 <= report.measures["face_ratio"] <= 0.6


def test_a_blank_wall_has_no_face(good):
    report = check_photo(Image.new("RGB", good.size, (245, 245, 245)))
    assert report.codes == ["no_face"]
    assert "Wajah tidak ditemukan" in report.problems[0].message


def test_two_faces_are_refused(good):
    pair = Image.new("RGB", (880, 566), (240, 240, 240))
    pair.paste(good, (0, 0))
    pair.paste(good, (440, 0))
    report = check_photo(pair)
    assert "several_faces" in report.codes
    assert len(report.faces) == 2
    assert "2 wajah" in next(p for p in report.problems if p.code == "several_faces").message


def test_a_dark_photo_is_called_dark_not_blurred(good):
    report = check_photo(ImageEnhance.Brightness(good).enhance(0.35))
    assert "too_dark" in report.codes
    assert "blurred" not in report.codes


@pytest.mark.parametrize("radius", [2, 4])
def test_a_blurred_photo_is_refused(good, radius):
    report = check_photo(good.filter(ImageFilter.GaussianBlur(radius)))
    assert report.codes == ["blurred"]


def test_a_small_photo_is_refused_for_its_resolution(good):
    report = check_photo(good.resize((200, 257)))
    assert report.codes == ["resolution"]
    assert "200 x 257" in report.problems[0].message


def test_a_square_snapshot_fails_on_proportion_size_and_framing(astronaut):
    report = check_photo(astronaut)  # the original: 512 x 512, flag and suit behind her
    assert {"aspect_ratio", "resolution", "face_too_small", "face_off_centre"} <= set(report.codes)


def test_a_dark_background_is_refused(astronaut):
    canvas = Image.new("RGB", (440, 566), (40, 60, 90))
    canvas.paste(astronaut.crop((165, 50, 285, 190)).resize((240, 280)), (100, 110))
    report = check_photo(canvas)
    assert report.codes == ["background_dark"]


def test_a_patterned_background_is_refused(good):
    pixels = np.array(good)
    stripes = np.where((np.arange(pixels.shape[1]) // 20 % 2 == 0)[None, :, None], 30, 240)
    pixels[:40] = stripes
    report = check_photo(Image.fromarray(pixels))
    assert report.codes == ["background_uneven"]


def test_a_face_too_close_is_refused(good):
    close = good.crop((110, 130, 330, 413)).resize((440, 566))
    report = check_photo(close)
    assert "face_too_large" in report.codes


def test_not_an_image_is_unreadable():
    report = check_photo(b"%PDF-1.7 not a photo")
    assert report.codes == ["unreadable"]
    assert report.as_dict()["ok"] is False
