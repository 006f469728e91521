"""A test PKI for the electronic seal, made afresh by the tests.

    python pki_di_prova.py CARTELLA PASSWORD

Generates the keys (pyca/cryptography), then lets certomancer issue the
certificates from `certomancer.yml`, written beside them, and writes:

- ca.pem            the test root CA (the trust anchor given to validators)
- altra-ca.pem      an unrelated root, for "chain not trusted"
- sigillo.p12       seal certificate with an ECDSA P-256 key, chain included
- sigillo-rsa.p12   seal certificate with an RSA-2048 key, legacy PKCS#12
                    encryption (3DES, SHA-1 MAC) as older tools export it
- scaduto.p12       a seal certificate that expired in 2020
- certomancer.yml   the same PKI with a time-stamping authority, for
                    `certomancer --config certomancer.yml animate`

Every PKCS#12 file is encrypted with PASSWORD. Nothing here is secret: the
keys exist only for the test that made them.
"""
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography import x509

from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, KeyLabel

cartella = Path(sys.argv[1])
password = sys.argv[2].encode()
cartella.mkdir(parents=True, exist_ok=True)

CHIAVI = {
    "radice": lambda: rsa.generate_private_key(65537, 2048),
    "altra": lambda: ec.generate_private_key(ec.SECP256R1()),
    "sigillo": lambda: ec.generate_private_key(ec.SECP256R1()),
    "sigillo-rsa": lambda: rsa.generate_private_key(65537, 2048),
    "scaduto": lambda: ec.generate_private_key(ec.SECP256R1()),
    "tsa": lambda: ec.generate_private_key(ec.SECP256R1()),
}
for nome, genera in CHIAVI.items():
    (cartella / f"{nome}.key.pem").write_bytes(
        genera().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

chiavi = "\n".join(f"      {n}:\n        path: {n}.key.pem" for n in CHIAVI)


def validita(da, a):
    return f'        validity:\n          valid-from: "{da}T00:00:00+0000"\n          valid-to: "{a}T00:00:00+0000"'


SIGILLO = """        issuer: radice
{validita}
        extensions:
          - id: key_usage
            critical: true
            smart-value:
              schema: key-usage
              params: [digital_signature, non_repudiation]"""

(cartella / "certomancer.yml").write_text(
    f"""external-url-prefix: "http://127.0.0.1"
keysets:
  lauream:
    keys:
{chiavi}
pki-architectures:
  lauream:
    keyset: lauream
    entity-defaults:
      country-name: IT
      organization-name: Universita degli Studi di Valdarno
    entities:
      radice:
        organization-name: Prestatore di prova
        common-name: CA di prova lauream
      altra:
        organization-name: Altro prestatore
        common-name: CA estranea
      sigillo:
        common-name: Sigillo elettronico di prova
      sigillo-rsa:
        common-name: Sigillo elettronico RSA di prova
      scaduto:
        common-name: Sigillo scaduto
      tsa:
        organization-name: Prestatore di prova
        common-name: Marca temporale di prova
    certs:
      radice:
        subject: radice
        issuer: radice
{validita("2000-01-01", "2100-01-01")}
        profiles:
          - id: simple-ca
      altra:
        subject: altra
        issuer: altra
{validita("2000-01-01", "2100-01-01")}
        profiles:
          - id: simple-ca
      sigillo:
{SIGILLO.format(validita=validita("2020-01-01", "2090-01-01"))}
      sigillo-rsa:
{SIGILLO.format(validita=validita("2020-01-01", "2090-01-01"))}
      scaduto:
{SIGILLO.format(validita=validita("2018-01-01", "2020-01-01"))}
      tsa:
        issuer: radice
{validita("2000-01-01", "2100-01-01")}
        extensions:
          - id: key_usage
            critical: true
            smart-value:
              schema: key-usage
              params: [digital_signature]
          - id: extended_key_usage
            critical: true
            value: [time_stamping]
    services:
      time-stamping:
        tsa:
          signing-key: tsa
          signing-cert: tsa
"""
)

config = CertomancerConfig.from_file(str(cartella / "certomancer.yml"), key_search_dir=str(cartella))
arch = config.get_pki_arch(ArchLabel("lauream"))
for nome in ("radice", "altra"):
    pem = x509.load_der_x509_certificate(arch.get_cert(CertLabel(nome)).dump()).public_bytes(
        serialization.Encoding.PEM
    )
    (cartella / ("ca.pem" if nome == "radice" else "altra-ca.pem")).write_bytes(pem)

for nome in ("sigillo", "scaduto"):
    (cartella / f"{nome}.p12").write_bytes(arch.package_pkcs12(CertLabel(nome), password=password))

# The RSA seal in the legacy format (3DES, SHA-1 MAC) many tools still export.
certificato = x509.load_der_x509_certificate(arch.get_cert(CertLabel("sigillo-rsa")).dump())
radice = x509.load_der_x509_certificate(arch.get_cert(CertLabel("radice")).dump())
chiave = serialization.load_der_private_key(
    arch.key_set.get_private_key(KeyLabel("sigillo-rsa")).dump(), password=None
)
cifratura = (
    serialization.PrivateFormat.PKCS12.encryption_builder()
    .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
    .hmac_hash(__import__("cryptography.hazmat.primitives.hashes", fromlist=["SHA1"]).SHA1())
    .build(password)
)
(cartella / "sigillo-rsa.p12").write_bytes(
    pkcs12.serialize_key_and_certificates(b"sigillo-rsa", chiave, certificato, [radice], cifratura)
)
