"""Risk-sharing arithmetic (分险), as pure functions (no ORM).

A default is shared between the company, a re-guarantor or the national fund, the lending bank
and a government risk-compensation fund, each by the share its agreement sets (the Anhui
4:3:2:1 split: company 40%, re-guarantor 30%, bank 20%, government fund 10%). A reader who
wants to know what a sharing party owes after a compensation, what it gets back from a
recovery, or what its re-guarantee fee is reads this file only; the models call it.

Every amount is rounded to the fen half-up.
"""

from decimal import Decimal

from odoo.addons.guarantee_platform.tools.money import fen_float

CLAIM_BASES = ("principal", "principal_interest")
FEE_BASES = ("amount", "balance")

# Why a project falls outside an agreement (the models turn them into sentences).
NOT_PRODUCT = "product"
NOT_SCALE = "scale"
ABOVE_CUSTOMER_CAP = "customer_cap"
ABOVE_QUOTA = "quota"
OUT_OF_DATES = "dates"


def part(amount, share):
    """``share`` percent of ``amount``, to the fen."""
    return fen_float(Decimal(str(amount)) * Decimal(str(share)) / 100)


def own_share(covered_shares):
    """The share the company keeps: 100 − the shares its agreements actually cover.

    Refused when the parties would carry everything (the company always keeps some risk;
    the regulatory figures divide by nothing else) or a share is negative.
    """
    shares = [Decimal(str(share)) for share in covered_shares]
    if any(share < 0 for share in shares):
        raise ValueError("negative share")
    kept = Decimal(100) - sum(shares, Decimal(0))
    if kept <= 0:
        raise ValueError("no own share left")
    return float(kept)


def eligibility(
    product_ok,
    scale_ok,
    customer_total,
    customer_cap,
    quota_used,
    quota,
    in_dates,
):
    """The reasons (codes above) why a project is outside an agreement; empty: eligible.

    ``customer_total`` is what the customer has under the agreement with this project
    included, ``quota_used`` the agreement's use with it; a cap or quota of 0 means none.
    Both limits are inclusive: a customer at exactly the cap is covered.
    """
    reasons = []
    if not product_ok:
        reasons.append(NOT_PRODUCT)
    if not scale_ok:
        reasons.append(NOT_SCALE)
    if customer_cap and fen_float(customer_total) > fen_float(customer_cap):
        reasons.append(ABOVE_CUSTOMER_CAP)
    if quota and fen_float(quota_used) > fen_float(quota):
        reasons.append(ABOVE_QUOTA)
    if not in_dates:
        reasons.append(OUT_OF_DATES)
    return reasons


def claim_amounts(principal, interest, share, base, cap_left=None):
    """What a sharing party owes after a compensation of ``principal`` + ``interest``.

    Its ``share`` of the principal, and of the interest when the agreement's claim ``base``
    is ``principal_interest``. ``cap_left`` is what remains of the agreement's annual claim
    cap (None: no cap); a claim above it is cut, interest first. Returns
    ``(principal_part, interest_part, total, capped)``.
    """
    if base not in CLAIM_BASES:
        raise ValueError("unknown claim base %r" % base)
    principal_part = part(principal, share)
    interest_part = part(interest, share) if base == "principal_interest" else 0.0
    capped = False
    if cap_left is not None:
        cap_left = max(fen_float(cap_left), 0.0)
        if fen_float(principal_part + interest_part) > cap_left:
            capped = True
            interest_part = min(interest_part, max(fen_float(cap_left - principal_part), 0.0))
            principal_part = min(principal_part, cap_left)
    return principal_part, interest_part, fen_float(principal_part + interest_part), capped


def shared_back(amount, parties):
    """A recovery of ``amount`` split between the sharing parties and the company.

    ``parties`` is a list of ``(key, share, ceiling)``: each party gets its ``share`` percent
    of the recovery, never more than ``ceiling`` (what it paid on its claim less what it got
    back already). Returns ``({key: part}, own_part)``; the parts and the own part add up to
    ``amount`` exactly.
    """
    parts = {}
    for key, share, ceiling in parties:
        value = min(part(amount, share), max(fen_float(ceiling), 0.0))
        if value > 0:
            parts[key] = value
    own_part = fen_float(Decimal(str(amount)) - sum((Decimal(str(v)) for v in parts.values()),
                                                 Decimal(0)))
    return parts, own_part


def fee_amount(base_amount, share, rate):
    """A re-guarantee fee: ``rate`` percent of the party's ``share`` of ``base_amount`` (the
    guaranteed amount or the outstanding principal, as the agreement says), for one year or
    once."""
    covered = Decimal(str(base_amount)) * Decimal(str(share)) / 100
    return fen_float(covered * Decimal(str(rate)) / 100)
