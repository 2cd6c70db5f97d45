"""Checks a Gatehouse attestation with the in-toto project's own libraries, as an outside
reader would: the DSSE envelope's signature against the member's public key (an OpenSSH
Ed25519 public key file) with in-toto's Envelope, and the payload as an in-toto Statement v1
with in-toto-attestation's proto and validator (unknown fields are errors).

usage: verify_intoto.py ENVELOPE.json KEY.pub KEYID
Prints the Statement as JSON and exits 0; exits 1 with the reason on stderr otherwise.
"""

import json
import sys

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_ssh_public_key
from google.protobuf import json_format
from in_toto.models.metadata import Envelope
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement


def main() -> int:
    envelope_path, key_path, keyid = sys.argv[1:4]
    with open(envelope_path, encoding="utf-8") as f:
        envelope = Envelope.from_dict(json.load(f))
    with open(key_path, "rb") as f:
        public = load_ssh_public_key(f.read())
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    key = {"keyid": keyid, "keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": raw}}
    try:
        envelope.verify_signature(key)
    except Exception as e:  # in-toto raises SignatureVerificationError; say which check failed
        print(f"signature: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if envelope.payload_type != "application/vnd.in-toto+json":
        print(f"payloadType: {envelope.payload_type}", file=sys.stderr)
        return 1
    text = envelope.payload.decode("utf-8")
    try:
        statement = Statement.copy_from_pb(json_format.Parse(text, statement_pb2.Statement()))
        statement.validate()
    except Exception as e:
        print(f"statement: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
