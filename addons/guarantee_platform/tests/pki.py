"""A small PKI made in the test: a root CA, certificates it issues (as PKCS#12, the way a CA
delivers a company's certificate), and an RFC 3161 time-stamp authority on 127.0.0.1.

Keys are ECDSA P-256: generated in milliseconds, and signed PDFs verify in every reader.
"""

import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from .fake_servers import LocalServer


def _name(common_name):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


class LocalCA:
    """A root certificate authority that issues end-entity certificates."""

    def __init__(self, name="测试根证书", days=365):
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.utcnow()
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(name)).issuer_name(_name(name))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self):
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def issue(self, name, days=365, timestamping=False):
        """(key, certificate) of an end entity: a document signer, or a time-stamp
        authority when ``timestamping`` (RSA: pyHanko's test TSA signs with RSA only)."""
        key = rsa.generate_private_key(65537, 2048) if timestamping \
            else ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.utcnow()
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(name)).issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, not timestamping, False, False, False, False,
                                         False, False, False), critical=True)
        )
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return key, builder.sign(self.key, hashes.SHA256())

    def pkcs12(self, name, password="p12-password", days=365):
        """A PKCS#12 archive of a new certificate for ``name`` with its chain."""
        key, certificate = self.issue(name, days=days)
        return pkcs12.serialize_key_and_certificates(
            b"signer", key, certificate, [self.certificate],
            serialization.BestAvailableEncryption(password.encode()),
        )


def asn1_certificate(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class TimeStampServer(LocalServer):
    """An RFC 3161 time-stamp authority over HTTP: a POSTed ``application/timestamp-query``
    is answered with a signed ``application/timestamp-reply`` (pyHanko's own TSA logic,
    behind a real HTTP server)."""

    def __init__(self, ca):
        key, certificate = ca.issue("测试时间戳服务", timestamping=True)
        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_certificate(certificate),
            tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())),
        )
        super().__init__(self._answer)

    def _answer(self, method, path, headers, body):
        if method != "POST" or headers.get("Content-Type") != "application/timestamp-query":
            return 400, {}, b"not a time-stamp query"
        reply = self.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
        return 200, {"Content-Type": "application/timestamp-reply"}, reply
