"""The company's own PDF signatures (PAdES, with pyHanko) and the check of signed PDFs.

Pure functions, no ORM: ``read_pkcs12`` opens a PKCS#12 archive (the company's certificate and
key, as a CA delivers them), ``sign_pdf`` adds one PAdES signature (``/SubFilter
/ETSI.CAdES.detached``) with a visible seal at a seal position of the PDF pipeline and, when a
time-stamp server is configured, an RFC 3161 time-stamp on the signature; ``validate_pdf``
checks every signature of a PDF (intact, certificate chain against the given roots, document
unchanged since) and says so in one result per signature.

A reader (Adobe Reader, Foxit, WPS) verifies the signature the same way; it trusts the chain
when the CA's root is in its own trust list.

What this does not do: Chinese CAs also issue SM2 certificates (国密, GM/T 0015) whose
signatures are SM2-with-SM3 (OID 1.2.156.10197.1.501) in a CMS of GM/T 0010 and, in a PDF,
the seal structure of GM/T 0031 (电子印章). pyHanko and the ``cryptography`` library it builds
on know neither the SM2 curve nor SM3: such a certificate cannot be loaded here, a PDF signed
with one is reported as not verifiable, and a company that must seal with its SM2 certificate
(often held in a USB key, not a PKCS#12 file) does so through its e-signature platform.
"""

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as sig_fields
from pyhanko.sign import signers, timestamps
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError as HankoSigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

_logger = logging.getLogger(__name__)
# pyHanko logs each untrusted or broken signature as a warning with a traceback: the verdict
# is recorded in the SignatureCheck instead.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)

MM = 72 / 25.4  # PDF points per millimetre
SEAL_RED = (204, 0, 0, 255)


# what can be wrong with a signature (codes of SignatureCheck.problems)
PROBLEMS = ("not_verifiable", "content_changed", "signature_mismatch", "untrusted",
            "changed_after")


class SigningError(ValueError):
    """The certificate or the PDF cannot be used for signing; the text says why."""


@dataclass
class Certificate:
    """What a PKCS#12 archive holds, as pyHanko needs it, and what may be shown of it."""

    key: object
    certificate: object
    chain: list
    subject: str = ""
    issuer: str = ""
    serial: str = ""
    not_before: datetime.datetime = None
    not_after: datetime.datetime = None
    fingerprint: str = ""


@dataclass
class SignatureCheck:
    """The verdict on one signature of a PDF."""

    field_name: str
    signer: str = ""
    signer_fingerprint: str = ""
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    unchanged: bool = False
    signing_time: str = ""
    timestamped: bool = False
    problems: list = field(default_factory=list)  # codes of PROBLEMS

    @property
    def ok(self):
        return self.intact and self.valid and self.trusted and self.unchanged


def _asn1_cert(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def read_pkcs12(data, passphrase):
    """The Certificate in the PKCS#12 archive ``data`` (bytes) opened with ``passphrase``
    (str); SigningError when it cannot be opened or holds no key and certificate."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, (passphrase or "").encode() or None
        )
    except (ValueError, TypeError):
        raise SigningError("The PKCS#12 file cannot be opened with this password.") from None
    if key is None or cert is None:
        raise SigningError("The PKCS#12 file holds no private key with its certificate.")
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    certificate = _asn1_cert(cert)
    return Certificate(
        key=asn1_keys.PrivateKeyInfo.load(key_der),
        certificate=certificate,
        chain=[_asn1_cert(c) for c in extra or []],
        subject=certificate.subject.human_friendly,
        issuer=certificate.issuer.human_friendly,
        serial=format(certificate.serial_number, "X"),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        fingerprint=hashlib.sha256(certificate.dump()).hexdigest(),
    )


def load_certificates(data):
    """The X.509 certificates in ``data``: DER, or PEM with one or more certificates."""
    if pem.detect(data):
        ders = [der for _type, _headers, der in pem.unarmor(data, multiple=True)]
    else:
        ders = [data]
    certificates = [asn1_x509.Certificate.load(der) for der in ders]
    # asn1crypto parses lazily: reading the subject now makes garbage fail here
    if not all(certificate.subject.human_friendly is not None for certificate in certificates):
        raise ValueError("a certificate without subject")
    return certificates


def seal_image(text, font=None, size=480):
    """A round red seal (公章 style) with ``text`` around a star, as a transparent RGBA image.

    ``font`` is (path, face index) of a font that has the text's characters (a Chinese
    font for a Chinese name); without one, the text is left out and only the ring and the
    star are drawn.
    """
    import math

    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ring = size // 28
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=ring)
    center, radius = size / 2, size * 0.13
    star = []
    for point in range(10):
        angle = math.pi / 2 + point * math.pi / 5
        r = radius if point % 2 == 0 else radius * 0.38
        star.append((center + r * math.cos(angle), center - r * math.sin(angle)))
    draw.polygon(star, fill=SEAL_RED)
    if not (font and text):
        return image
    glyph_size = int(size * 0.12)
    face = ImageFont.truetype(font[0], glyph_size, index=font[1] or 0)
    # the characters along the upper arc, from lower left to lower right
    span = min(math.radians(250), math.radians(24) * max(len(text) - 1, 1))
    orbit = size / 2 - ring * 2 - glyph_size * 0.7
    for number, char in enumerate(text):
        share = number / (len(text) - 1) if len(text) > 1 else 0.5
        angle = math.pi / 2 + span / 2 - share * span
        glyph = Image.new("RGBA", (glyph_size * 2, glyph_size * 2), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((glyph_size, glyph_size), char, font=face,
                                   fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
        x = center + orbit * math.cos(angle) - glyph_size
        y = center - orbit * math.sin(angle) - glyph_size
        image.alpha_composite(glyph, (int(x), int(y)))
    return image


def seal_box(position):
    """The (x1, y1, x2, y2) box in points, and the 0-based page, of a seal position of the
    PDF pipeline: {"page" (1-based), "x_mm", "y_mm" (lower left, from the page's lower left
    corner), "size_mm"}."""
    x, y, size = position["x_mm"] * MM, position["y_mm"] * MM, position["size_mm"] * MM
    return (round(x, 2), round(y, 2), round(x + size, 2), round(y + size, 2)), \
        int(position.get("page") or 1) - 1


def sign_pdf(pdf, certificate, seal_position, field_name, seal_text="", font=None,
             reason="", location="", timestamp_url=None, timeout=10.0):
    """``pdf`` (bytes) signed by ``certificate`` as an incremental update.

    The signature is PAdES (CAdES detached, SHA-256) with the signer's chain embedded, shown
    as a red seal with ``seal_text`` in the box of ``seal_position`` (see ``seal_box``) on
    its page; with ``timestamp_url`` the signature carries an RFC 3161 time-stamp from that
    server. Returns the signed PDF bytes.
    """
    box, page = seal_box(seal_position)
    registry = SimpleCertificateStore.from_certs(certificate.chain)
    signer = signers.SimpleSigner(
        signing_cert=certificate.certificate, signing_key=certificate.key,
        cert_registry=registry,
    )
    timestamper = timestamps.HTTPTimeStamper(timestamp_url, timeout=timeout) \
        if timestamp_url else None
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", reason=reason or None,
        location=location or None, subfilter=sig_fields.SigSeedSubFilter.PADES,
    )
    style = TextStampStyle(
        stamp_text="%(ts)s", timestamp_format="%Y-%m-%d %H:%M:%S %Z", border_width=0,
        background=PdfImage(seal_image(seal_text, font)), background_opacity=1.0,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if page >= int(writer.root["/Pages"]["/Count"]):
            raise SigningError(f"The seal position is on page {page + 1}, which the PDF "
                               "does not have.")
        output = signers.PdfSigner(
            meta, signer=signer, timestamper=timestamper, stamp_style=style,
            new_field_spec=sig_fields.SigFieldSpec(field_name, on_page=page, box=box),
        ).sign_pdf(writer)
    except (PdfReadError, HankoSigningError) as error:
        raise SigningError(f"The PDF cannot be signed: {error}") from None
    return output.getvalue()


def validate_pdf(pdf, trust_roots, other_certs=()):
    """One SignatureCheck per signature of ``pdf`` (bytes), against ``trust_roots`` (asn1crypto
    certificates) only: the machine's own trust store and the network are never used. An
    empty list: the PDF has no signature. SigningError: not a PDF."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        raise SigningError(f"The file is not a readable PDF: {error}") from None
    context = ValidationContext(
        trust_roots=list(trust_roots), other_certs=list(other_certs), allow_fetching=False,
    )
    return [_check(signature, context) for signature in embedded]


def _check(signature, context):
    check = SignatureCheck(field_name=signature.field_name)
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as error:  # a malformed or SM2 signature is a verdict, not a crash
        _logger.info("Signature %s not verifiable: %s", signature.field_name, error)
        check.problems.append("not_verifiable")
        return check
    cert = status.signing_cert
    if cert is not None:
        check.signer = cert.subject.human_friendly
        check.signer_fingerprint = hashlib.sha256(cert.dump()).hexdigest()
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    check.trusted = bool(status.trusted)
    # a later signature (a counter-signature) is a permitted change; anything else is not
    level = status.modification_level
    check.unchanged = status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION and (
        level is not None and level <= ModificationLevel.FORM_FILLING
    ) and status.docmdp_ok is not False
    check.timestamped = status.timestamp_validity is not None
    when = status.timestamp_validity.timestamp if check.timestamped else status.signer_reported_dt
    check.signing_time = when.isoformat() if when else ""
    if not check.intact:
        check.problems.append("content_changed")
    elif not check.valid:
        check.problems.append("signature_mismatch")
    if check.intact and not check.trusted:
        check.problems.append("untrusted")
    if not check.unchanged:
        check.problems.append("changed_after")
    return check
