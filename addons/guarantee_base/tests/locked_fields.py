"""What the records of guarantee_base lock, written by hand from DESIGN.md ("Integrity",
"Core records"), so that the lock tests do not learn it from the declarations they test.

``ACTION_ONLY[model]``: the fields only the model's actions write, in every state (besides
the read-only computed and related fields, which the lock mixin adds by rule).
``LOCKED[model][state]``: the fields frozen in that state; ``ALL`` when nothing may change.
A state missing from ``LOCKED`` locks nothing more than the action-only fields.
``DELETABLE_IN[model]``: the only states a record may be deleted in (``None``: the model
decides by its own rules).
"""

ALL = "*"

# What the committee reviews: frozen from the review on (a new application changes them).
_REVIEWED_TERMS = {
    "partner_id", "creditor_id", "product_id", "amount", "currency_id", "own_share",
    "fee_rate", "margin_rate", "issuer_rating", "company_id",
}
# The loan as the bank released it: entered while contracted only, then set by activation.
_LOAN = {"loan_release_date", "loan_amount_released"}
# The dates of the guarantee: fixed once the loan is released (an extension moves the end).
_DATES = {"term_months", "date_start", "date_end"}
# Who answers for a project with money at stake: changed only by the reassign action, which
# logs who and why (issue "Invariants, not paths").
_STEWARDS = {"manager_id", "assistant_id"}

ACTION_ONLY = {
    "guarantee.project": {
        "state", "date_state", "risk_class", "principal_repaid", "date_released",
        "cancel_reason", "reject_reason", "is_imported",
    },
    "guarantee.project.extension": {"state", "date_approved"},
    "guarantee.review": {"state", "outcome", "date_decided"},
    "guarantee.review.vote": {"date_voted"},
}

LOCKED = {
    "guarantee.project": {
        "reviewing": _REVIEWED_TERMS | _LOAN,
        "approved": _REVIEWED_TERMS | _LOAN,
        "rejected": _REVIEWED_TERMS | _LOAN,
        "contracted": set(_REVIEWED_TERMS),
        "cancelled": _REVIEWED_TERMS | _LOAN,
        "active": _REVIEWED_TERMS | _LOAN | _DATES | _STEWARDS,
        "released": _REVIEWED_TERMS | _LOAN | _DATES,
        "compensated": _REVIEWED_TERMS | _LOAN | _DATES | _STEWARDS,
        "closed": _REVIEWED_TERMS | _LOAN | _DATES,
    },
    "guarantee.project.extension": {
        "submitted": {"project_id", "date_end_new", "reason", "company_id"},
        "approved": ALL,
        "rejected": ALL,
    },
    "guarantee.review": {
        "voting": {"project_id", "vote_ids", "company_id"},
        "decided": ALL,
    },
    "guarantee.review.vote": {
        "voting": {"member_id", "review_id"},
        "decided": ALL,
    },
}

DELETABLE_IN = {
    "guarantee.project": ("draft", "cancelled"),
    "guarantee.project.extension": ("draft",),
    "guarantee.review": ("draft",),
    "guarantee.review.vote": None,  # only while its meeting is a draft (its own rule)
}


def locked_in(model, state):
    """The hand-listed fields frozen for ``model`` in ``state`` (``ALL`` or a set),
    action-only fields not included."""
    return LOCKED.get(model, {}).get(state, set())
