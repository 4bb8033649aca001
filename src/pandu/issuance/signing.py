"""The mission's signing key and certificate, and PAdES signing and checking with pyHanko.

Production loads the key from configuration (see the README):

- ``PANDU_SIGNING_KEY``: a PKCS#12 file (``.p12``/``.pfx``, key and certificate together) or a
  PEM private key; ``{mission}`` in the path is replaced by the mission's slug, so each mission
  can sign with its own key (``/etc/pandu/signing/{mission}.p12``);
- ``PANDU_SIGNING_CERT``: the PEM certificate that goes with a PEM key (same ``{mission}`` rule);
- ``PANDU_SIGNING_PASSPHRASE``: the passphrase of the key or PKCS#12 file, if any;
- ``PANDU_SIGNING_TRUST``: PEM file(s), comma-separated, of the certificate authorities whose
  signatures Pandu accepts when it verifies a PDF (default: the signing certificates
  themselves).

In debug and demo mode without ``PANDU_SIGNING_KEY``, a demo certificate authority and one
signing certificate per mission are made once with ``cryptography`` and kept in
``PANDU_SIGNING_DEMO_DIR`` (default: ``signing-demo`` under the private media root, never
committed). A demo signature proves nothing outside the demo. Outside debug and demo mode a
missing key is a configuration error, never a silent demo key.

The documents are *certified* signatures (DocMDP "no changes"), PAdES baseline B-B
(``ETSI.CAdES.detached``), with no time stamp (Pandu reaches no time-stamping authority).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

_lock = threading.Lock()
T = TypeVar("T")
DEMO_CA_NAME = "Pandu demo CA (not valid outside the demo)"


@dataclass(frozen=True)
class KeyFiles:
    key: Path
    cert: Path | None  # None for PKCS#12
    passphrase: bytes | None
    chain: tuple[Path, ...] = ()  # issuer certificates to embed (PEM keys)


def _configured(mission_slug: str) -> KeyFiles | None:
    key = getattr(settings, "SIGNING_KEY", "")
    if not key:
        return None
    cert = getattr(settings, "SIGNING_CERT", "")
    passphrase = getattr(settings, "SIGNING_PASSPHRASE", "") or None
    return KeyFiles(
        Path(key.replace("{mission}", mission_slug)),
        Path(cert.replace("{mission}", mission_slug)) if cert else None,
        passphrase.encode() if passphrase else None,
    )


def demo_dir() -> Path:
    configured = getattr(settings, "SIGNING_DEMO_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "signing-demo"


def signing_available(mission_slug: str) -> bool:
    """Whether the mission's documents can be signed now (reads only: creates no demo key)."""
    configured = _configured(mission_slug)
    if configured:
        return configured.key.is_file() and (configured.cert is None or configured.cert.is_file())
    return bool(settings.DEBUG or getattr(settings, "DEMO", False))


def key_files(mission_slug: str) -> KeyFiles:
    """Where the mission's key is: configured, or (debug and demo only) the demo's."""
    configured = _configured(mission_slug)
    if configured:
        if not configured.key.is_file():
            raise ImproperlyConfigured(f"PANDU_SIGNING_KEY: {configured.key} does not exist.")
        if configured.cert and not configured.cert.is_file():
            raise ImproperlyConfigured(f"PANDU_SIGNING_CERT: {configured.cert} does not exist.")
        return configured
    if settings.DEBUG or getattr(settings, "DEMO", False):
        return ensure_demo_keys(mission_slug)
    raise ImproperlyConfigured(
        "PANDU_SIGNING_KEY is not set: issued documents cannot be signed. Set it to the "
        "mission's PKCS#12 file (or a PEM key with PANDU_SIGNING_CERT)."
    )


def trust_roots(mission_slug: str | None = None) -> list[asn1_x509.Certificate]:
    """Certificates a signature must chain to: configured authorities, or the demo CA."""
    configured = [p for p in str(getattr(settings, "SIGNING_TRUST", "") or "").split(",") if p]
    if configured:
        return [load_cert_from_pemder(p.strip()) for p in configured]
    if not getattr(settings, "SIGNING_KEY", "") and (
        settings.DEBUG or getattr(settings, "DEMO", False)
    ):
        ensure_demo_keys(mission_slug) if mission_slug else _ensure_demo_ca()
        return [load_cert_from_pemder(str(demo_dir() / "demo-ca.pem"))]
    if mission_slug:
        return [signer_for(mission_slug).signing_cert]
    return []


def outside_event_loop(func: Callable[..., T], *args, **kwargs) -> T:
    """Call ``func`` here, or in a worker thread when this thread already runs an event loop.

    pyHanko's synchronous API runs its own event loop (``asyncio.run``), which fails inside a
    running one (an ASGI server, Playwright's sync API in tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


class _KeptKeySigner(signers.SimpleSigner):
    """A :class:`~pyhanko.sign.signers.SimpleSigner` that parses its private key once.

    pyHanko's ``SimpleSigner.sign_raw`` parses the key from DER for every signature, and
    ``cryptography`` checks an RSA key's consistency on every parse: about 0.2 s for the demo's
    RSA key on this project's 2-core reference machine, twice per PDF. RSA PKCS#1 v1.5 (what
    pyHanko uses for an RSA key unless PSS is asked for) signs with the kept key here; any other
    mechanism goes to pyHanko's own code unchanged.
    """

    def __init__(self, loaded: signers.SimpleSigner):
        super().__init__(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
            signature_mechanism=loaded.signature_mechanism,
        )
        self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
            self._pyca_key, rsa.RSAPrivateKey
        ):
            return self._pyca_key.sign(
                data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        return super().sign_raw(data, digest_algorithm)


#: Loaded signers by their files' identity (path, size and modification time of each file, and
#: the passphrase): a replaced key or certificate is loaded again, an unchanged one never is.
_signers: dict[tuple, signers.SimpleSigner] = {}


def _files_stamp(files: KeyFiles) -> tuple | None:
    """What identifies the files' current contents, or None when one cannot be read."""
    try:
        stamps = tuple(
            (str(path), path.stat().st_mtime_ns, path.stat().st_size)
            for path in (files.key, files.cert, *files.chain)
            if path is not None
        )
    except OSError:
        return None
    return (*stamps, files.passphrase)


def signer_for(mission_slug: str) -> signers.SimpleSigner:
    files = key_files(mission_slug)
    stamp = _files_stamp(files)
    cached = _signers.get(stamp) if stamp is not None else None
    if cached is not None:
        return cached
    if files.cert is None:
        signer = signers.SimpleSigner.load_pkcs12(str(files.key), passphrase=files.passphrase)
    else:
        signer = signers.SimpleSigner.load(
            str(files.key),
            str(files.cert),
            ca_chain_files=tuple(str(p) for p in files.chain) or None,
            key_passphrase=files.passphrase,
        )
    if signer is None:
        raise ImproperlyConfigured(
            f"The signing key {files.key} could not be loaded (wrong passphrase or format?)."
        )
    signer = _KeptKeySigner(signer)
    if stamp is not None:
        with _lock:
            if len(_signers) > 32:  # keys replaced many times in one process: start over
                _signers.clear()
            _signers[stamp] = signer
    return signer


def sign_pdf(pdf: bytes, *, mission_slug: str, reason: str, location: str) -> tuple[bytes, str]:
    """The PDF with a certifying PAdES signature, and the signer's subject for the record."""
    signer = signer_for(mission_slug)
    meta = signers.PdfSignatureMetadata(
        field_name="PanduSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = outside_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue(), signer.signing_cert.subject.human_friendly


# Demo keys -------------------------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def _name(common_name: str, organisation: str = "Pandu demo") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


# The demo's certificates are valid from a fixed day in the past, not from the moment they are
# made: a demo loaded under another clock (a test travelling in time, a machine whose clock was
# wrong) must not leave certificates that are "not yet valid" when the clock is right again.
DEMO_VALID_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _ensure_demo_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    folder = demo_dir()
    cert_path, key_path = folder / "demo-ca.pem", folder / "demo-ca-key.pem"
    if cert_path.is_file() and key_path.is_file():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return cert, key  # type: ignore[return-value]
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    name = _name(DEMO_CA_NAME)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEMO_VALID_FROM)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def ensure_demo_keys(mission_slug: str) -> KeyFiles:
    """The demo CA and the mission's demo signing certificate, made once and then reused."""
    with _lock:
        folder = demo_dir()
        key_path, cert_path = folder / f"{mission_slug}-key.pem", folder / f"{mission_slug}.pem"
        if key_path.is_file() and cert_path.is_file():
            return KeyFiles(key_path, cert_path, None, (folder / "demo-ca.pem",))
        ca_cert, ca_key = _ensure_demo_ca()
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(f"Pandu demo signing: {mission_slug}"))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(DEMO_VALID_FROM)
            .not_valid_after(now + dt.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        _write_private(
            key_path,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return KeyFiles(key_path, cert_path, None, (folder / "demo-ca.pem",))
