"""Signed checkpoints of the audit chain's head, kept as files outside the database.

The chain and its head row show any change to a row, a removed row, rows put in another order,
and events removed from the end, as long as the head row is left alone. Someone who can write to
the database can also remove the newest events and set the head row back to match. A checkpoint
closes that gap: every hour that the head moved, ``audit_checkpoint_due`` writes the head's
sequence number and hash, with the time, to a small signed JSON file in
``settings.AUDIT_CHECKPOINT_DIR``. ``pandu audit_verify`` then checks the chain against every
checkpoint: an event a checkpoint records must still be there with that hash.

Each checkpoint is its own file, named by its time and sequence number, created once and never
overwritten. Nothing about checkpoints is kept in the database: the files are the anchor, and
they are only worth as much as their copies kept away from the database server (see
docs/operators.md).

Signatures: with ``PANDU_SIGNING_KEY`` configured, the mission's own signing key (the one issued
documents are signed with) signs the canonical JSON of the checkpoint (RSA-PSS, ECDSA or Ed25519
with SHA-256 where it applies); where that path holds ``{mission}``, the key of the first
mission created is used and its slug is recorded. Without a signing key, an HMAC-SHA256 under a
key derived from ``SECRET_KEY`` stands in, which anyone who holds ``SECRET_KEY`` can forge. The
file says which it carries. The time is Pandu's own clock: no time-stamping authority is asked.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pandu.audit import chain
from pandu.audit.models import AuditEvent, AuditHead
from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.models import Mission

FORMAT = "pandu-audit-checkpoint/1"
#: The periodic job writes at most one checkpoint in this time, and none while the head stays.
INTERVAL = dt.timedelta(hours=1)
HMAC_METHOD = "hmac-sha256"
KEY_METHODS = ("ed25519", "ed448", "ecdsa-sha256", "rsa-pss-sha256")
_NAME = re.compile(r"^\d{8}T\d{6}Z-\d{12}\.json$")
_HKDF_INFO = b"pandu audit checkpoint"

SigningKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
)


class AuditCheckpointRefused(PanduError):
    """The chain no longer agrees with the latest checkpoint, so no newer one is written over it."""

    code = "audit_checkpoint_refused"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: dt.datetime
    method: str
    name: str

    @property
    def label(self) -> str:
        return f"checkpoint of {self.at:%Y-%m-%d %H:%M:%S} UTC"

    def anchor(self) -> chain.Anchor:
        return chain.Anchor(self.seq, self.hash, self.label)


@dataclass(frozen=True)
class CheckpointFault:
    """A checkpoint file that cannot be trusted, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"checkpoint {self.name}: {self.reason}"


def checkpoint_dir() -> Path:
    configured = getattr(settings, "AUDIT_CHECKPOINT_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "audit-checkpoints"


def file_name(seq: int, at: dt.datetime) -> str:
    return f"{at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{seq:012d}.json"


# Keys ------------------------------------------------------------------------------------------


def _key_path(mission_slug: str) -> Path | None:
    configured = getattr(settings, "SIGNING_KEY", "")
    return Path(configured.replace("{mission}", mission_slug)) if configured else None


def _signer_mission() -> str:
    """The slug recorded with a signature: only needed when the key's path names a mission."""
    if "{mission}" not in getattr(settings, "SIGNING_KEY", ""):
        return ""

    slug = Mission.objects.order_by("pk").values_list("slug", flat=True).first()
    if slug is None:
        raise ImproperlyConfigured(
            "PANDU_SIGNING_KEY names a {mission} but there is no mission yet to sign with."
        )
    return slug


def _load_key(mission_slug: str) -> SigningKey | None:
    """The configured signing key (PEM, DER or PKCS#12), or None when none is configured."""
    path = _key_path(mission_slug)
    if path is None:
        return None
    if not path.is_file():
        raise ImproperlyConfigured(f"PANDU_SIGNING_KEY: {path} does not exist.")
    data = path.read_bytes()
    passphrase = (getattr(settings, "SIGNING_PASSPHRASE", "") or "").encode() or None
    loaders = (
        lambda: serialization.load_pem_private_key(data, passphrase),
        lambda: pkcs12.load_key_and_certificates(data, passphrase)[0],
        lambda: serialization.load_der_private_key(data, passphrase),
    )
    for load in loaders:
        try:
            key = load()
        except (ValueError, TypeError):
            continue
        if isinstance(key, SigningKey):
            return key
        raise ImproperlyConfigured(f"PANDU_SIGNING_KEY: {path} holds a key that cannot sign.")
    raise ImproperlyConfigured(
        f"PANDU_SIGNING_KEY: {path} could not be loaded (wrong passphrase or format?)."
    )


def _key_id(key: SigningKey) -> str:
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(public).hexdigest()


def _method(key: SigningKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return "rsa-pss-sha256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ecdsa-sha256"
    return "ed25519" if isinstance(key, ed25519.Ed25519PrivateKey) else "ed448"


def _pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)


def _hmac_keys() -> list[bytes]:
    """The HMAC key from ``SECRET_KEY`` first, then from each of ``SECRET_KEY_FALLBACKS``."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(s.encode())
        for s in secrets
    ]


def _signed_bytes(document: dict[str, Any]) -> bytes:
    return chain.canonical({k: v for k, v in document.items() if k != "signature"})


def _sign(document: dict[str, Any]) -> dict[str, Any]:
    mission = _signer_mission()
    key = _load_key(mission)
    if key is None:
        document["signed_with"] = {"method": HMAC_METHOD, "key": "derived from SECRET_KEY"}
        data = _signed_bytes(document)
        signature = hmac.new(_hmac_keys()[0], data, hashlib.sha256).digest()
    else:
        method = _method(key)
        document["signed_with"] = {"method": method, "mission": mission, "key_sha256": _key_id(key)}
        data = _signed_bytes(document)
        if isinstance(key, rsa.RSAPrivateKey):
            signature = key.sign(data, _pss(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
        else:
            signature = key.sign(data)
    document["signature"] = base64.b64encode(signature).decode()
    return document


def _signature_fault(document: dict[str, Any]) -> str | None:
    """Why the document's signature does not hold, or None when it does."""
    signed_with = document.get("signed_with")
    if not isinstance(signed_with, dict):
        return "it carries no signature"
    try:
        signature = base64.b64decode(str(document.get("signature", "")), validate=True)
    except ValueError:
        return "its signature is not base64"
    data = _signed_bytes(document)
    method = signed_with.get("method")
    if method == HMAC_METHOD:
        for key in _hmac_keys():
            if hmac.compare_digest(hmac.new(key, data, hashlib.sha256).digest(), signature):
                return None
        return "its HMAC does not match (the file was changed, or forged without SECRET_KEY)"
    if method not in KEY_METHODS:
        return f"its signature method {method!r} is not one Pandu writes"
    mission = str(signed_with.get("mission", ""))
    try:
        key = _load_key(mission)
    except ImproperlyConfigured as exc:
        return f"its signing key cannot be loaded: {exc}"
    if key is None:
        return f"it is signed ({method}) but PANDU_SIGNING_KEY is not set here to check it"
    if signed_with.get("key_sha256") != _key_id(key) or method != _method(key):
        return (
            f"it is signed with another key ({method}, {str(signed_with.get('key_sha256'))[:16]}…) "
            f"than the configured one ({_method(key)}, {_key_id(key)[:16]}…)"
        )
    public = key.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, _pss(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            public.verify(signature, data)
    except InvalidSignature:
        return "its signature does not match (the file was changed or forged)"
    return None


# Reading ---------------------------------------------------------------------------------------


def _parse(path: Path) -> Checkpoint | CheckpointFault:
    name = path.name
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        return CheckpointFault(name, f"cannot be read as JSON ({exc})")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return CheckpointFault(name, f"is not a {FORMAT} file")
    seq, digest = document.get("seq"), document.get("hash")
    try:
        at = dt.datetime.fromisoformat(str(document.get("at")))
    except ValueError:
        at = None
    if (
        not isinstance(seq, int)
        or seq < 1
        or not isinstance(digest, str)
        or not re.fullmatch(r"[0-9a-f]{64}", digest)
        or at is None
        or at.tzinfo is None
    ):
        return CheckpointFault(name, "its seq, hash or time is missing or malformed")
    fault = _signature_fault(document)
    if fault:
        return CheckpointFault(name, fault)
    if name != file_name(seq, at):
        return CheckpointFault(name, f"its name does not match its content ({file_name(seq, at)})")
    method = str(document["signed_with"]["method"])
    return Checkpoint(seq=seq, hash=digest, at=at.astimezone(dt.UTC), method=method, name=name)


def _paths(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".json" and not p.name.startswith("."))


def checkpoints_read() -> tuple[list[Checkpoint], list[CheckpointFault]]:
    """Every checkpoint file, oldest first: the ones whose signature holds, and the others."""
    valid: list[Checkpoint] = []
    faults: list[CheckpointFault] = []
    for path in _paths(checkpoint_dir()):
        parsed = _parse(path)
        if isinstance(parsed, Checkpoint):
            valid.append(parsed)
        else:
            faults.append(parsed)
    return valid, faults


def checkpoint_latest() -> Checkpoint | None:
    """The newest checkpoint whose signature holds (files are named by time, so by name)."""
    for path in reversed(_paths(checkpoint_dir())):
        if _NAME.match(path.name):
            parsed = _parse(path)
            if isinstance(parsed, Checkpoint):
                return parsed
    return None


# Writing ---------------------------------------------------------------------------------------


def audit_checkpoint_write(*, now: dt.datetime | None = None) -> Checkpoint | None:
    """Write the chain head to a new signed checkpoint file; None when there is nothing new.

    Nothing is written when the log is empty or the head is where the latest checkpoint put it.
    Raises ``AuditCheckpointRefused`` when the event the latest checkpoint records is gone or has
    another hash: a new checkpoint must never vouch for a chain cut short or rewritten since.
    Deliberately records no audit event: that would move the head and call for the next
    checkpoint, and the database is the very thing a checkpoint must not depend on.
    """
    at = (now or clock.now()).astimezone(dt.UTC).replace(microsecond=0)
    head = AuditHead.objects.filter(id=1).values_list("seq", "hash").first()
    if head is None or head[0] == 0:
        return None
    latest = checkpoint_latest()
    if latest is not None:
        if (latest.seq, latest.hash) == head:
            return None
        stored = AuditEvent.objects.filter(seq=latest.seq).values_list("hash", flat=True).first()
        if stored != latest.hash:
            raise AuditCheckpointRefused(
                f"The audit chain no longer holds event #{latest.seq} as the {latest.label} "
                f"records it: no new checkpoint is written. Run `pandu audit_verify`."
            )
    seq, digest = head
    document = _sign({"format": FORMAT, "seq": seq, "hash": digest, "at": at.isoformat()})
    folder = checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(seq, at)
    if not _create(folder / name, json.dumps(document, indent=2, sort_keys=True) + "\n"):
        return None  # another process wrote this very checkpoint
    return Checkpoint(
        seq=seq, hash=digest, at=at, method=document["signed_with"]["method"], name=name
    )


def _create(path: Path, text: str) -> bool:
    """Create ``path`` whole or not at all, never replacing a file. False when it exists."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed below, then linked into place)
        "w", dir=path.parent, prefix=".tmp-", suffix=".json", delete=False, encoding="utf-8"
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o444)
        try:
            os.link(handle.name, path)  # fails, unlike a rename, when the name is taken
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(handle.name)


def audit_checkpoint_due(now: dt.datetime) -> int:
    """The periodic job: a checkpoint when the head moved and the latest is an hour old."""
    latest = checkpoint_latest()
    if latest is not None and latest.at > now - INTERVAL:
        return 0
    return 1 if audit_checkpoint_write(now=now) is not None else 0
