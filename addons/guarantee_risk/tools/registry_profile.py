"""A customer's profile at a registry / court / tax data provider, and what changed.

Pure functions: ``normalize`` maps the provider's JSON onto our keys (through the provider's
field mapping), ``diff`` compares two normalized profiles and lists each change once, with a
stable key so that seeing the same change again never raises a second signal.
"""

import datetime
import hashlib
import json

# scalar facts whose change is a warning sign, with the signal type each change raises
SCALARS = {
    "name": "name_change",
    "legal_representative": "legal_rep_change",
    "registered_capital": "capital_change",
    "address": "address_change",
    "shareholders": "shareholder_change",
    "tax_credit_grade": "tax_grade",
}
# lists of events, each item with a provider id; every new item is a warning sign
LISTS = {
    "lawsuits": "lawsuit",
    "judgments": "judgment",
    "enforcements": "enforcement",
    "dishonest": "dishonest",
    "penalties": "penalty",
    "abnormal_operations": "abnormal",
}


class MalformedProfile(ValueError):
    """The provider's answer is not a profile."""


def _lookup(data, path):
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _item(raw, kind):
    if not isinstance(raw, dict) or not raw.get("id"):
        raise MalformedProfile(f"an item of {kind} has no id")
    try:
        amount = float(raw.get("amount") or 0.0)
    except (TypeError, ValueError):
        raise MalformedProfile(f"the amount of {kind} {raw['id']} is not a number") from None
    date = str(raw.get("date") or "")
    if date:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise MalformedProfile(f"the date of {kind} {raw['id']} is not a date") from None
    return {
        "id": str(raw["id"]),
        "amount": amount,
        "date": date,
        "text": " ".join(
            str(raw[key]) for key in ("case_no", "cause", "court", "authority", "reason", "role")
            if raw.get(key)
        ),
    }


def normalize(raw, mapping=None):
    """Our profile from the provider's JSON; ``mapping`` maps our key to a dotted path."""
    if not isinstance(raw, dict):
        raise MalformedProfile("the profile is not a JSON object")
    mapping = mapping or {}
    profile = {}
    for key in SCALARS:
        value = _lookup(raw, mapping.get(key, key))
        if key == "shareholders":
            if value is not None and not isinstance(value, list):
                raise MalformedProfile("shareholders is not a list")
            value = sorted(
                str(v.get("name") if isinstance(v, dict) else v) for v in (value or [])
            )
        elif key == "registered_capital" and value is not None:
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise MalformedProfile("registered_capital is not a number") from None
        elif value is not None:
            value = str(value).strip()
        profile[key] = value
    for key, kind in LISTS.items():
        items = _lookup(raw, mapping.get(key, key)) or []
        if not isinstance(items, list):
            raise MalformedProfile(f"{key} is not a list")
        profile[key] = sorted((_item(item, kind) for item in items), key=lambda i: i["id"])
    return profile


def fingerprint(value):
    return hashlib.sha1(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def diff(old, new):
    """The changes from ``old`` (None for a first look: the baseline, no change) to ``new``.

    Each change: {"type", "key", "field", "old", "new", "amount", "text", "date"}; ``key`` is
    stable for one change, so it serves as the signal's event id at the provider.
    """
    if old is None:
        return []
    changes = []
    for field, kind in SCALARS.items():
        before, after = old.get(field), new.get(field)
        if after is None or before == after:
            continue
        changes.append({
            "type": kind, "key": f"{field}:{fingerprint(after)[:16]}", "field": field,
            "old": before, "new": after, "amount": 0.0, "date": "",
            "text": f"{before if before is not None else '-'} → {after}",
        })
    for field, kind in LISTS.items():
        known = {item["id"] for item in old.get(field) or []}
        for item in new.get(field) or []:
            if item["id"] in known:
                continue
            changes.append({
                "type": kind, "key": f"{field}:{item['id']}", "field": field, "old": None,
                "new": item["id"], "amount": item["amount"], "date": item["date"],
                "text": item["text"],
            })
    return changes
