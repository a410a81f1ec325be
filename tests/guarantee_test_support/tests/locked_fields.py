"""What every stateful guarantee record locks, written by hand from DESIGN.md ("Integrity":
posted money is never edited, an order that was ever sent is never changed, actions and
declared server-only paths write what the system decides), for all the addons installed
together. guarantee_base's own records come from its list; the higher addons' records and
the fields they add to lower records are listed here.

Same shape as guarantee_base's list: ``ACTION_ONLY[model]`` (fields only actions write, in
every state) and ``LOCKED[model][state]`` (fields frozen in that state, ``ALL``: nothing may
change). ``PSEUDO_STATES`` names the lock states that are not values of a state field.
"""

from odoo.addons.guarantee_base.tests import locked_fields as base

ALL = base.ALL


def all_but(*names):
    """Every field of the model is frozen in that state but ``names`` (an allow-list,
    ``_lock_open_fields_by_state``): fields a later addon adds are frozen too."""
    return ("all but", frozenset(names))


# What a payment order asks the bank to pay: fixed once it left draft (DESIGN: an order that
# was ever sent is never replaced; the payee account belongs to the payee).
_ORDER_TERMS = {
    "amount", "partner_id", "partner_bank_id", "project_id", "compensation_id", "margin_id",
    "share_return_id", "connector_id", "reference", "currency_id",
}
# A risk share agreed for a project: fixed from the review on.
_SHARE_TERMS = {"agreement_id", "project_id", "share"}
# The figures of a credit measurement: computed from the statements, never typed.
_MEASUREMENT_FIGURES = {
    "adjustment_total", "avg_advance", "avg_inventory", "avg_payable", "avg_prepayment",
    "avg_receivable", "base_amount", "cost_of_sales", "cycle_days", "days_advance",
    "days_inventory", "days_payable", "days_prepayment", "days_receivable", "existing_loans",
    "factor", "measure_message", "measured_amount", "opening_source", "own_funds",
    "profit_margin", "result_amount", "revenue", "total_profit", "turnover_count",
    "working_capital_need",
}

ACTION_ONLY = {
    **base.ACTION_ONLY,
    # guarantee_api: who submitted an application through the partner API
    "guarantee.project": base.ACTION_ONLY["guarantee.project"] | {
        "api_source_partner_id", "api_applicant_name", "api_applicant_unverified",
    },
    # guarantee_risk
    "guarantee.collateral": {"state", "date_released"},
    "guarantee.collection": {"state", "date_paid"},  # paid only by its action
    "guarantee.credit.line": {"state"},
    "guarantee.credit.measurement": {"state", "user_id"} | _MEASUREMENT_FIGURES,
    "guarantee.credit.measurement.adjustment": set(),
    "guarantee.due.diligence.report": {
        "state", "manager_signed_by_id", "manager_signed_date", "assistant_signed_by_id",
        "assistant_signed_date", "attachment_id", "document_id",
    },
    "guarantee.due.diligence.shareholder": set(),
    "guarantee.financial.statement": {"state", "import_source_id"},
    "guarantee.financial.statement.line": set(),
    "guarantee.risk.classification": {"state", "approved_by_id", "date_approved"},
    # where the fact came from, what its rule set, the class change proposed from it
    "guarantee.risk.signal": {
        "state", "provider_id", "provider_event_id", "rule_id", "suggested_risk_class",
        "response_deadline", "classification_id", "financial_statement_id", "ratio",
    },
    "guarantee.project.share": {"eligible", "ineligible_reason"},
    # guarantee_scoring: a version's state and the dates its actions set
    "guarantee.scorecard": {"state", "date_activated", "date_archived"},
    "guarantee.share.filing": {
        "state", "agreement_id", "project_id", "date_deadline", "date_filed", "date_decided",
        "reference", "refuse_reason", "request_id",
    },
    # guarantee_contract (signing and the company's PDF seal)
    "guarantee.contract": {
        "state", "date_sent", "date_signed", "esign_flow_id", "esign_status", "is_tampered",
        "signed_body", "signed_pdf_id", "signed_sha256", "terminate_reason",
        "sealed_pdf_id", "sealed_sha256", "date_sealed", "pdf_check_state",
        "pdf_check_report", "pdf_check_date", "pdf_checked_by_id",
    },
    # guarantee_contract, with guarantee_accounting's entries and invoices
    "guarantee.fee": {"state", "date_paid", "amount_paid", "invoice_id"},
    "guarantee.margin": {"state", "move_id", "recovery_id"},
    # guarantee_accounting
    "guarantee.compensation": {"state", "date_paid", "move_id", "payment_order_ids"},
    "guarantee.recovery": {"state", "move_id", "margin_id"},
    "guarantee.loss": {"state", "move_id"},
    "guarantee.reserve.provision": set(),
    "guarantee.payment.order": {
        "state", "request_id", "bank_reference", "error_message", "attempt_count",
        "date_sent", "date_done",
        # a manual "done": the voucher, its document and the finance users who confirmed it
        "manual_voucher_ref", "manual_document_id", "manual_confirmed_by_id",
        "manual_second_by_id",
    },
    "guarantee.share.claim": {
        "state", "agreement_id", "compensation_id", "amount", "amount_accepted", "capped_note",
        "claim_base", "share", "principal_part", "interest_part", "date_deadline",
        "date_sent", "date_accepted", "date_paid", "refuse_reason", "move_id",
        "shortfall_amount", "shortfall_move_id", "shortfall_reason",
    },
    "guarantee.share.claim.document": {"claim_id", "document_type_id"},
    "guarantee.share.fee": {
        "state", "agreement_id", "project_id", "amount", "base_amount", "rate", "share",
        "payer", "bill_id", "invoice_id",
    },
    "guarantee.share.return": {
        "state", "agreement_id", "recovery_id", "amount", "date_paid", "move_id",
    },
}

LOCKED = {
    **base.LOCKED,
    # guarantee_risk: the credit line of a project with money at stake changes by reassigning
    "guarantee.project": {
        **base.LOCKED["guarantee.project"],
        "active": base.LOCKED["guarantee.project"]["active"] | {"credit_line_id"},
        "compensated": base.LOCKED["guarantee.project"]["compensated"] | {"credit_line_id"},
    },
    "guarantee.collateral": {
        "registered": {
            "project_id", "kind", "asset_type", "owner_id", "registration_required",
            "registration_no", "registration_authority", "registration_date", "company_id",
        },
        "released": ALL,
    },
    "guarantee.credit.line": {"confirmed": {"measurement_id"}, "closed": ALL},
    "guarantee.credit.measurement": {"confirmed": ALL},
    "guarantee.credit.measurement.adjustment": {"confirmed": ALL},
    "guarantee.due.diligence.report": {"signing": ALL, "signed": ALL},
    "guarantee.due.diligence.shareholder": {"signing": ALL, "signed": ALL},
    "guarantee.financial.statement": {"confirmed": ALL, "locked": ALL},
    "guarantee.financial.statement.line": {"confirmed": ALL, "locked": ALL},
    "guarantee.risk.classification": {"submitted": ALL, "approved": ALL, "refused": ALL},
    "guarantee.project.share": dict.fromkeys(
        ("reviewing", "approved", "rejected", "contracted", "active", "released",
         "compensated", "closed", "cancelled"),
        _SHARE_TERMS,
    ),
    "guarantee.share.filing": {"accepted": ALL, "refused": ALL},
    # an active or archived version keeps its responsible (stability alerts) and note open
    "guarantee.scorecard": dict.fromkeys(("active", "archived"), all_but("user_id", "note")),
    "guarantee.contract": {
        "sent": {
            "name", "kind", "project_id", "template_id", "body", "partner_ids",
            "collateral_id", "esign_provider_id",
        },
        "signed": ALL,
        "terminated": ALL,
    },
    # an invoiced fee is locked like a paid one: its invoice is the record
    "guarantee.fee": {"paid": ALL, "invoiced": ALL, "credited": ALL},
    "guarantee.margin": {"done": ALL, "cancelled": ALL},
    "guarantee.compensation": {
        "approved": {
            "project_id", "principal", "interest", "demand_date", "bank_reference",
            "evidence_ids",
        },
        "paid": ALL,
        "cancelled": ALL,
    },
    "guarantee.recovery": {"posted": ALL, "cancelled": ALL},
    "guarantee.loss": {"posted": ALL, "cancelled": ALL},
    "guarantee.reserve.provision": {"always": ALL},
    "guarantee.payment.order": dict.fromkeys(
        ("sent", "unknown", "accepted", "done", "failed"), _ORDER_TERMS
    ),
    "guarantee.share.claim": {"paid": ALL, "refused": ALL},
    "guarantee.share.claim.document": dict.fromkeys(
        ("sent", "accepted", "paid", "refused"), ALL
    ),
    "guarantee.share.fee": {"billed": ALL, "cancelled": ALL},
    "guarantee.share.return": {"paid": ALL, "cancelled": ALL},
}

# The only states a record may be deleted in; ``None``: the model's own rules decide. What
# recorded money, a filing or a posted provision never is.
DELETABLE_IN = {
    **base.DELETABLE_IN,
    "guarantee.collateral": ("planned",),
    "guarantee.collection": None,
    "guarantee.credit.line": ("draft",),
    "guarantee.credit.measurement": ("draft",),
    "guarantee.credit.measurement.adjustment": ("draft",),
    "guarantee.due.diligence.report": ("draft",),
    "guarantee.due.diligence.shareholder": ("draft",),
    "guarantee.financial.statement": ("draft",),
    "guarantee.financial.statement.line": ("draft",),
    "guarantee.risk.classification": None,
    "guarantee.risk.signal": None,
    "guarantee.scorecard": None,
    "guarantee.project.share": ("draft", "accepted", "investigating"),
    "guarantee.share.filing": (),
    "guarantee.contract": ("draft",),
    "guarantee.fee": ("due", "cancelled"),
    "guarantee.margin": ("draft",),
    "guarantee.compensation": ("draft",),
    "guarantee.recovery": ("draft",),
    "guarantee.loss": ("draft",),
    "guarantee.reserve.provision": (),
    "guarantee.payment.order": ("draft",),
    "guarantee.share.claim": ("draft",),
    "guarantee.share.claim.document": ("draft",),
    "guarantee.share.fee": ("draft",),
    "guarantee.share.return": (),
}

# The models whose state machine is declared as the lock mixin's ``_lock_transitions``
# (docs/design-decisions.md, "Issue 22: records" and "state machines of the remaining
# models"): every state write of their actions is checked against it.
DECLARE_A_GRAPH = {
    "guarantee.project", "guarantee.project.extension", "guarantee.collateral",
    "guarantee.collection", "guarantee.credit.line", "guarantee.risk.classification",
    "guarantee.contract", "guarantee.fee", "guarantee.margin", "guarantee.compensation",
    "guarantee.recovery", "guarantee.loss", "guarantee.payment.order", "guarantee.share.claim",
    "guarantee.share.fee", "guarantee.share.return", "guarantee.review",
    "guarantee.credit.measurement", "guarantee.due.diligence.report",
    "guarantee.financial.statement", "guarantee.share.filing", "guarantee.risk.signal",
    "guarantee.scorecard",
}
# The project's moves, (state left, state entered), from DESIGN.md ("States of
# guarantee.project.state"): cancelled only before active, released, closed and cancelled
# final.
PROJECT_GRAPH = {
    ("draft", "accepted"), ("accepted", "investigating"), ("investigating", "reviewing"),
    ("reviewing", "approved"), ("reviewing", "rejected"), ("approved", "contracted"),
    ("contracted", "active"), ("active", "released"), ("active", "compensated"),
    ("compensated", "closed"),
} | {
    (state, "cancelled") for state in (
        "draft", "accepted", "investigating", "reviewing", "approved", "rejected", "contracted",
    )
}

# Lock states that are no value of a state field: a fee with an invoice, a record without
# a state (always posted).
PSEUDO_STATES = {
    "guarantee.fee": ("invoiced", "credited"),
    "guarantee.reserve.provision": ("always",),
}


def locked_in(model, state):
    """The hand-listed fields frozen for ``model`` in ``state`` (``ALL`` or a set)."""
    return LOCKED.get(model, {}).get(state, set())
