"""SHA-256 chaining of records (pure functions; the model is guarantee.hash.chain)."""

import hashlib
import json

GENESIS = "0" * 64


def payload_text(payload):
    """A JSON-able payload written canonically (sorted keys, no spaces, dates as text)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def payload_digest(payload):
    """SHA-256 of the canonical text of a payload."""
    return hashlib.sha256(payload_text(payload).encode()).hexdigest()


def link_hash(previous_hash, res_model, res_id, event, digest):
    """The hash of one link: it covers the previous link's hash, so no link can change alone."""
    text = "|".join((previous_hash, res_model, str(res_id), event, digest))
    return hashlib.sha256(text.encode()).hexdigest()
