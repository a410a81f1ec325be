"""A customer's profile at a registry / court / tax data provider, and what changed.

Pure functions: ``normalize`` maps the provider's JSON onto our keys (through the provider's
field mapping), ``diff`` compares two normalized profiles and lists each change once, with a
stable key so that seeing the same change again never raises a second signal.

A provider answers either everything at one address (``ALL``) or each kind of data at its own
address (``KINDS``: profile, change records, lawsuits, enforcement, penalties, abnormal
operations, tax grade); a profile holds only the keys its provider was asked for.
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
# the provider's change records (变更记录): each names the changed fact, before and after
CHANGES = "changes"
CHANGE_FIELDS = {
    "name": "name", "名称": "name", "企业名称": "name",
    "legal_representative": "legal_representative", "法定代表人": "legal_representative",
    "负责人": "legal_representative",
    "registered_capital": "registered_capital", "注册资本": "registered_capital",
    "address": "address", "住所": "address", "地址": "address", "注册地址": "address",
    "shareholders": "shareholders", "股东": "shareholders", "投资人": "shareholders",
}
# the keys each kind of endpoint answers
KINDS = {
    "profile": ("name", "legal_representative", "registered_capital", "address",
                "shareholders"),
    "changes": (CHANGES,),
    "lawsuits": ("lawsuits", "judgments"),
    "enforcement": ("enforcements", "dishonest"),
    "penalties": ("penalties",),
    "abnormal": ("abnormal_operations",),
    "tax": ("tax_credit_grade",),
}
ALL = tuple(SCALARS) + tuple(LISTS)
KEYS = ALL + (CHANGES,)
DEFAULT_PATHS = {
    "profile": "/companies/{uscc}",
    "changes": "/companies/{uscc}/changes",
    "lawsuits": "/companies/{uscc}/lawsuits",
    "enforcement": "/companies/{uscc}/enforcements",
    "penalties": "/companies/{uscc}/penalties",
    "abnormal": "/companies/{uscc}/abnormal-operations",
    "tax": "/companies/{uscc}/tax-credit",
}
# what a first look reports: facts that are still open, not the company's history
CLOSED_STATUSES = {"closed", "concluded", "removed", "resolved", "结案", "已结案", "已移出",
                   "移出", "已履行", "已撤销", "终结"}
OPEN_ON_FIRST_LOOK = ("dishonest", "enforcements", "lawsuits", "abnormal_operations")
WORST_TAX_GRADE = "D"


class MalformedProfile(ValueError):
    """The provider's answer is not a profile."""


def _lookup(data, path):
    if path == ".":
        return data
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _date(raw, kind, key="date"):
    date = str(raw.get(key) or "")
    if date:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise MalformedProfile(f"the date of {kind} {raw['id']} is not a date") from None
    return date


def _item(raw, kind):
    if not isinstance(raw, dict) or not raw.get("id"):
        raise MalformedProfile(f"an item of {kind} has no id")
    try:
        amount = float(raw.get("amount") or 0.0)
    except (TypeError, ValueError):
        raise MalformedProfile(f"the amount of {kind} {raw['id']} is not a number") from None
    item = {
        "id": str(raw["id"]),
        "amount": amount,
        "date": _date(raw, kind),
        "text": " ".join(
            str(raw[key]) for key in ("case_no", "cause", "court", "authority", "reason", "role")
            if raw.get(key)
        ),
    }
    if raw.get("closed") or str(raw.get("status") or "").strip().lower() in CLOSED_STATUSES:
        item["closed"] = True
    return item


def _scalar(key, value):
    """The value of the fact ``key`` as profiles keep it (None: not answered)."""
    if value is None:
        return None
    if key == "shareholders":
        if not isinstance(value, list):
            raise MalformedProfile("shareholders is not a list")
        return sorted(str(v.get("name") if isinstance(v, dict) else v) for v in value)
    if key == "registered_capital":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise MalformedProfile("registered_capital is not a number") from None
    return str(value).strip()


def _change(raw):
    """One change record, or None when it is about a fact we do not watch."""
    if not isinstance(raw, dict) or not raw.get("id"):
        raise MalformedProfile("a change record has no id")
    field = CHANGE_FIELDS.get(str(raw.get("field") or raw.get("item") or "").strip())
    if not field:
        return None
    after = raw.get("after")
    if field == "shareholders" and isinstance(after, str):
        after = [name for name in after.replace("；", ";").split(";") if name.strip()]
    return {
        "id": str(raw["id"]),
        "field": field,
        "old": str(raw.get("before") or ""),
        "new": _scalar(field, after),
        "date": _date(raw, "change"),
    }


def normalize(raw, mapping=None, keys=ALL):
    """Our profile from the provider's JSON, for ``keys`` only; ``mapping`` maps our key to a
    dotted path in the answer (``.`` for the whole answer, e.g. a bare list)."""
    mapping = mapping or {}
    if not isinstance(raw, dict) and not any(mapping.get(key) == "." for key in keys):
        raise MalformedProfile("the profile is not a JSON object")
    profile = {}
    for key in keys:
        value = _lookup(raw, mapping.get(key, key))
        if key in SCALARS:
            profile[key] = _scalar(key, value)
            continue
        items = value or []
        if not isinstance(items, list):
            raise MalformedProfile(f"{key} is not a list")
        if key == CHANGES:
            changes = (_change(item) for item in items)
            profile[key] = sorted((c for c in changes if c), key=lambda c: c["id"])
        else:
            profile[key] = sorted((_item(item, LISTS[key]) for item in items),
                                  key=lambda i: i["id"])
    return profile


def fingerprint(value):
    return hashlib.sha1(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _scalar_change(field, before, after):
    return {
        "type": SCALARS[field], "key": f"{field}:{fingerprint(after)[:16]}", "field": field,
        "old": before, "new": after, "amount": 0.0, "date": "",
        "text": f"{before if before is not None else '-'} → {after}",
    }


def _item_change(field, item):
    return {
        "type": LISTS[field], "key": f"{field}:{item['id']}", "field": field, "old": None,
        "new": item["id"], "amount": item["amount"], "date": item["date"],
        "text": item["text"],
    }


def _record_change(record):
    """A change record as the change of its fact: the key is the one the profile comparison
    gives the same new value, so a change seen both ways raises one signal."""
    change = _scalar_change(record["field"], record["old"] or None, record["new"])
    change["date"] = record["date"]
    return change


def _first_look(field, value):
    """What the first answer about ``field`` reports: open items and the worst tax grade;
    the rest (names, addresses, past judgments, change history) is the baseline."""
    if field == "tax_credit_grade" and (value or "").upper() == WORST_TAX_GRADE:
        return [_scalar_change(field, None, value)]
    if field in OPEN_ON_FIRST_LOOK:
        return [_item_change(field, item) for item in value or [] if not item.get("closed")]
    return []


def diff(old, new):
    """The changes from ``old`` (None for a first look) to ``new``.

    Each change: {"type", "key", "field", "old", "new", "amount", "text", "date"}; ``key`` is
    stable for one change, so it serves as the signal's event id at the provider. A key the
    old profile does not hold (first look, or an endpoint added since) reports only what is
    open (``_first_look``).
    """
    old = old or {}
    changes = []
    # change records first: they carry the date of a change the profile comparison also sees
    for field, after in sorted(new.items(), key=lambda pair: pair[0] != CHANGES):
        if field not in old:
            changes.extend(_first_look(field, after))
        elif field in SCALARS:
            before = old[field]
            if after is not None and before != after:
                changes.append(_scalar_change(field, before, after))
        else:
            known = {item["id"] for item in old[field] or []}
            new_items = [item for item in after or [] if item["id"] not in known]
            if field == CHANGES:
                changes.extend(_record_change(item) for item in new_items)
            else:
                changes.extend(_item_change(field, item) for item in new_items)
    return changes
