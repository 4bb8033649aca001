"""The passport photo check: what a citizen's uploaded photo lacks, in plain words.

Passport offices hold more applications for bad photos than for anything else, so the photo is
checked when it is uploaded, and the citizen sees what to change before an officer ever does.
The checks, in order:

1. the file is an image Pillow can read (orientation from EXIF applied);
2. its proportion is that of a 35 x 45 mm photo (width / height = 0.778, within 3 %);
3. it has at least 413 x 531 pixels (35 x 45 mm at 300 dpi);
4. exactly one face is found, by OpenCV's Haar cascade for frontal faces
   (``haarcascade_frontalface_default.xml``, shipped inside the ``opencv-python-headless`` 4.x
   wheel under ``cv2.data.haarcascades``; nothing is downloaded);
5. the face is large enough and not too large, and centred: the cascade's box (brows to chin,
   narrower than the head) must be 30-60 % of the photo's height, its centre within 10 % of the
   width from the middle and between 30 % and 60 % of the height from the top;
6. the background (a band along the top and the upper parts of both sides, outside the face) is
   light (mean brightness at least 160 of 255) and even (standard deviation at most 28);
7. the face is not too dark (mean brightness at least 80) nor washed out (at most 235);
8. the face is sharp: the variance of the Laplacian of the face, scaled to 200 pixels wide and to
   a standard contrast, is at least 25.

The thresholds are in :class:`PhotoRules`, measured on the test images in
``tests/applications/test_photo.py`` (a public-domain portrait composed on backgrounds, and
generated images). A check that cannot run because an earlier one failed is skipped, so the
citizen sees the problems that matter first. Nothing here touches the database or the file
system: callers pass bytes (or a Pillow image) and get :class:`PhotoReport` back. An officer's
override with a reason is the applications workflow's business, not this module's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import cv2
import numpy as np
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 60_000_000

MESSAGES = {
    "unreadable": _(
        "Berkas ini bukan foto yang dapat dibaca. Unggah foto dalam bentuk JPEG atau PNG."
    ),
    "aspect_ratio": _(
        "Ukuran foto harus berbanding 35 x 45 mm (tegak, lebar 3,5 : tinggi 4,5). Foto ini "
        "berbanding %(width)d x %(height)d piksel. Potong foto dengan perbandingan itu."
    ),
    "resolution": _(
        "Foto terlalu kecil: %(width)d x %(height)d piksel. Paling kecil %(min_width)d x "
        "%(min_height)d piksel. Unggah foto aslinya, bukan tangkapan layar atau foto yang "
        "diperkecil."
    ),
    "no_face": _(
        "Wajah tidak ditemukan. Hadap lurus ke kamera, mata terbuka, tanpa kacamata hitam, "
        "masker atau topi, dan pastikan seluruh wajah terlihat."
    ),
    "several_faces": _(
        "Ditemukan %(count)d wajah. Foto paspor hanya boleh berisi wajah Anda sendiri."
    ),
    "face_too_small": _(
        "Wajah terlalu kecil di dalam foto. Foto lebih dekat sehingga kepala dan bahu "
        "memenuhi sebagian besar foto."
    ),
    "face_too_large": _(
        "Wajah terlalu besar di dalam foto. Mundur sedikit sehingga seluruh kepala, dari ujung "
        "rambut sampai dagu, dan sedikit bahu terlihat."
    ),
    "face_off_centre": _(
        "Wajah tidak berada di tengah foto. Potong foto sehingga wajah berada di tengah, "
        "dengan sedikit ruang di atas kepala."
    ),
    "background_dark": _(
        "Latar belakang terlalu gelap atau berwarna. Gunakan latar putih atau sangat terang."
    ),
    "background_uneven": _(
        "Latar belakang tidak polos: ada bayangan, pola atau benda di belakang Anda. Berdiri di "
        "depan dinding polos berwarna terang."
    ),
    "too_dark": _(
        "Wajah terlalu gelap. Foto di tempat yang terang, dengan cahaya dari depan dan tanpa "
        "bayangan di wajah."
    ),
    "too_bright": _(
        "Wajah terlalu terang sehingga bagiannya tidak terlihat jelas. Hindari lampu kilat "
        "langsung atau cahaya matahari yang terik."
    ),
    "blurred": _(
        "Foto kabur. Pegang kamera dengan tenang, pastikan fokus pada wajah, dan jangan "
        "memperbesar foto kecil."
    ),
}


@dataclass(frozen=True)
class PhotoRules:
    aspect: float = 35 / 45
    aspect_tolerance: float = 0.03
    min_width: int = 413
    min_height: int = 531
    face_min: float = 0.30  # face box height / photo height
    face_max: float = 0.60
    centre_x_tolerance: float = 0.10  # of the width
    centre_y_min: float = 0.30  # of the height, from the top
    centre_y_max: float = 0.60
    background_min_brightness: float = 160
    background_max_std: float = 28
    face_min_brightness: float = 80
    face_max_brightness: float = 235
    min_sharpness: float = 25


DEFAULT_RULES = PhotoRules()


@dataclass(frozen=True)
class PhotoProblem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.code])
        return text % self.params if self.params else text


@dataclass
class PhotoReport:
    """The problems found (empty when the photo passes) and what was measured, for officers."""

    problems: list[PhotoProblem]
    width: int = 0
    height: int = 0
    faces: list[tuple[int, int, int, int]] = field(default_factory=list)  # x, y, w, h
    measures: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": [{"code": p.code, "message": p.message} for p in self.problems],
            "width": self.width,
            "height": self.height,
            "faces": [list(f) for f in self.faces],
            "measures": {k: round(v, 3) for k, v in self.measures.items()},
        }


@cache
def _cascade() -> cv2.CascadeClassifier:
    path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
    classifier = cv2.CascadeClassifier(path)
    if classifier.empty():  # pragma: no cover - a broken OpenCV installation
        raise RuntimeError(f"OpenCV's face cascade could not be loaded from {path}")
    return classifier


def _load(photo: bytes | Image.Image) -> np.ndarray | None:
    """RGB pixels, upright, or None when the data is not an image we can read."""
    try:
        image = photo if isinstance(photo, Image.Image) else Image.open(io.BytesIO(photo))
        if image.width * image.height > MAX_PIXELS:
            return None
        image = ImageOps.exif_transpose(image)
        return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def find_faces(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Frontal faces at least a sixth of the photo's width (smaller ones are not the subject)."""
    height, width = gray.shape
    side = max(24, width // 6)
    found = _cascade().detectMultiScale(
        cv2.equalizeHist(gray), scaleFactor=1.1, minNeighbors=6, minSize=(side, side)
    )
    return [tuple(int(v) for v in box) for box in found]


def _background(gray: np.ndarray, face: tuple[int, int, int, int]) -> np.ndarray:
    """Pixels of the top band above the head and of both sides beside it (upper half)."""
    height, width = gray.shape
    x, y, w, h = face
    margin = max(2, w // 10)
    top = gray[: max(1, min(height // 12, y // 3)), :]
    side_bottom = min(height, y + h // 2)
    left = gray[:side_bottom, : max(1, min(x - margin, width // 10))]
    right = gray[:side_bottom, min(width - 1, max(x + w + margin, width - width // 10)) :]
    return np.concatenate([top.ravel(), left.ravel(), right.ravel()])


def check_photo(photo: bytes | Image.Image, *, rules: PhotoRules = DEFAULT_RULES) -> PhotoReport:
    """Check a passport photo; the report lists each problem with a code and an explanation."""
    rgb = _load(photo)
    if rgb is None:
        return PhotoReport([PhotoProblem("unreadable")])
    height, width = rgb.shape[:2]
    report = PhotoReport([], width=width, height=height)
    size = {"width": width, "height": height}
    aspect = width / height
    report.measures["aspect"] = aspect
    if abs(aspect - rules.aspect) > rules.aspect * rules.aspect_tolerance:
        report.problems.append(PhotoProblem("aspect_ratio", size))
    if width < rules.min_width or height < rules.min_height:
        report.problems.append(
            PhotoProblem(
                "resolution", size | {"min_width": rules.min_width, "min_height": rules.min_height}
            )
        )
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    faces = find_faces(gray)
    report.faces = faces
    if not faces:
        report.problems.append(PhotoProblem("no_face"))
        return report
    if len(faces) > 1:
        report.problems.append(PhotoProblem("several_faces", {"count": len(faces)}))
        return report
    x, y, w, h = faces[0]
    face_ratio = h / height
    centre_x = (x + w / 2) / width
    centre_y = (y + h / 2) / height
    report.measures.update(face_ratio=face_ratio, centre_x=centre_x, centre_y=centre_y)
    if face_ratio < rules.face_min:
        report.problems.append(PhotoProblem("face_too_small"))
    elif face_ratio > rules.face_max:
        report.problems.append(PhotoProblem("face_too_large"))
    if abs(centre_x - 0.5) > rules.centre_x_tolerance or not (
        rules.centre_y_min <= centre_y <= rules.centre_y_max
    ):
        report.problems.append(PhotoProblem("face_off_centre"))

    background = _background(gray, faces[0])
    bg_mean, bg_std = float(background.mean()), float(background.std())
    report.measures.update(background_brightness=bg_mean, background_std=bg_std)
    if bg_mean < rules.background_min_brightness:
        report.problems.append(PhotoProblem("background_dark"))
    elif bg_std > rules.background_max_std:
        report.problems.append(PhotoProblem("background_uneven"))

    face = gray[y : y + h, x : x + w]
    brightness = float(face.mean())
    report.measures["face_brightness"] = brightness
    if brightness < rules.face_min_brightness:
        report.problems.append(PhotoProblem("too_dark"))
    elif brightness > rules.face_max_brightness:
        report.problems.append(PhotoProblem("too_bright"))
    # Contrast is taken out first (the face scaled to a standard deviation of 50), so a dark
    # but sharp photo is called dark, not blurred.
    scaled = cv2.resize(face, (200, 200), interpolation=cv2.INTER_AREA).astype(np.float64)
    scaled = (scaled - scaled.mean()) * (50.0 / max(float(scaled.std()), 1.0))
    sharpness = float(cv2.Laplacian(scaled, cv2.CV_64F).var())
    report.measures["sharpness"] = sharpness
    if sharpness < rules.min_sharpness:
        report.problems.append(PhotoProblem("blurred"))
    return report
