from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.guarantee_risk.tools import risk_sharing

CLAIM_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("paid", "Paid"),
    ("refused", "Refused"),
]
OPEN_CLAIM_STATES = ("sent", "accepted")


class GuaranteeShareClaim(models.Model):
    """代偿补偿申请: after a compensation, what one sharing party owes the company by its
    agreement. Accepted, it is booked as a receivable from the party (Dr receivable from the
    party, Cr compensation receivable) and settled through the bank statement."""

    _name = "guarantee.share.claim"
    _description = "Risk-Sharing Claim"
    _inherit = [
        "sequence.number.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "guarantee.entry.mixin",
        "guarantee.lock.mixin",
    ]
    _sequence_code = "guarantee.share.claim"
    _order = "date_deadline, id"
    _check_company_auto = True

    _lock_action_fields = (
        "state", "move_id", "shortfall_move_id", "compensation_id", "agreement_id", "share",
        "claim_base", "principal_part", "interest_part", "amount", "capped_note",
        "date_deadline", "date_sent", "date_accepted", "date_paid", "amount_accepted",
        "shortfall_amount", "refuse_reason", "shortfall_reason",
    )
    _lock_readonly_states = ("paid", "refused")
    _lock_unlink_states = ("draft",)
    # Computed as a draft from a paid compensation; the party's answer accepts or refuses
    # it; the bank statement (or a shortfall closed) settles an accepted one.
    _lock_initial_state = "draft"
    _lock_transitions = {
        "action_send": (("draft",), "sent"),
        "action_accept": (("sent",), "accepted"),
        "action_refuse": (("sent",), "refused"),
        "_sync_payment": (("accepted",), "paid"),
    }

    name = fields.Char(string="Number", required=True, readonly=True, copy=False, default="/")
    compensation_id = fields.Many2one(
        "guarantee.compensation", required=True, index=True, ondelete="restrict", readonly=True,
        check_company=True,
    )
    project_id = fields.Many2one(
        related="compensation_id.project_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="compensation_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="compensation_id.currency_id", store=True, precompute=True
    )
    borrower_id = fields.Many2one(related="project_id.partner_id", string="Borrower")
    agreement_id = fields.Many2one(
        "guarantee.share.agreement", string="Agreement", required=True, index=True,
        ondelete="restrict", readonly=True, check_company=True,
    )
    partner_id = fields.Many2one(
        related="agreement_id.partner_id", store=True, index=True, string="Sharing Party"
    )
    kind = fields.Selection(related="agreement_id.kind", store=True)
    date_compensation = fields.Date(
        related="compensation_id.date_paid", store=True, string="Compensated On"
    )
    share = fields.Float(string="Share (%)", digits=(16, 2), readonly=True)
    claim_base = fields.Selection(
        [("principal", "Principal Only"), ("principal_interest", "Principal and Interest")],
        readonly=True,
    )
    principal_part = fields.Monetary(string="Principal Claimed", readonly=True,
                                     currency_field="currency_id")
    interest_part = fields.Monetary(string="Interest Claimed", readonly=True,
                                    currency_field="currency_id")
    amount = fields.Monetary(string="Amount Claimed", readonly=True, tracking=True,
                             currency_field="currency_id")
    capped_note = fields.Char(string="Cut by the Annual Cap", readonly=True)
    date_deadline = fields.Date(string="Claim Deadline", readonly=True, index=True)
    date_sent = fields.Date(string="Sent On", readonly=True, copy=False, tracking=True)
    date_accepted = fields.Date(string="Accepted On", readonly=True, copy=False, tracking=True)
    date_paid = fields.Date(string="Settled On", readonly=True, copy=False, tracking=True)
    amount_accepted = fields.Monetary(readonly=True, copy=False, tracking=True,
                                      currency_field="currency_id")
    amount_paid = fields.Monetary(
        compute="_compute_amount_paid", store=True, currency_field="currency_id",
        help="What the party paid, from the reconciliation of its receivable.",
    )
    amount_open = fields.Monetary(
        string="Outstanding", compute="_compute_amount_paid", store=True,
        currency_field="currency_id",
    )
    shortfall_amount = fields.Monetary(readonly=True, copy=False, currency_field="currency_id")
    refuse_reason = fields.Text(
        string="Reason (Refused or Reduced)", readonly=True, copy=False, tracking=True
    )
    shortfall_reason = fields.Text(string="Reason for the Shortfall", readonly=True, copy=False,
                                   tracking=True)
    shortfall_move_id = fields.Many2one(
        "account.move", string="Shortfall Entry", readonly=True, copy=False,
        ondelete="restrict",
    )
    document_ids = fields.One2many(
        "guarantee.share.claim.document", "claim_id", string="Documents"
    )
    documents_complete = fields.Boolean(compute="_compute_documents_complete")
    state = fields.Selection(
        CLAIM_STATES, default="draft", required=True, readonly=True, copy=False, index=True,
        tracking=True,
    )
    note = fields.Text()

    _sql_constraints = [
        ("compensation_agreement_unique", "unique(compensation_id, agreement_id)",
         "A compensation is claimed once per agreement."),
    ]

    @api.depends("move_id.line_ids.amount_residual", "amount_accepted", "shortfall_amount")
    def _compute_amount_paid(self):
        for claim in self:
            line = claim._receivable_line()
            if not line:
                claim.amount_paid = 0.0
                claim.amount_open = 0.0
                continue
            claim.amount_open = line.amount_residual
            claim.amount_paid = claim.currency_id.round(
                claim.amount_accepted - line.amount_residual - claim.shortfall_amount)

    @api.depends("document_ids.attachment_ids")
    def _compute_documents_complete(self):
        for claim in self:
            claim.documents_complete = all(claim.document_ids.mapped("attachment_ids"))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._lock_is_unlocked():
            raise UserError(_("Claims are computed from a paid compensation: use the "
                              "compensation's button."))
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions

    def action_send(self):
        """The claim with its documents goes to the party."""
        self._check_can_send()
        self._unlocked().write({"state": "sent",
                                "date_sent": fields.Date.context_today(self)})
        return True

    def action_open_decision(self):
        """Record the party's answer: accepted (in full or in part), or refused."""
        return {
            "type": "ir.actions.act_window",
            "name": _("The Party's Answer"),
            "res_model": "guarantee.share.claim.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_id": self[:1].id},
        }

    def action_accept(self, amount=None, reason=None):
        """The party accepts ``amount`` (the full claim by default; less needs a reason):
        Dr receivable from the party, Cr compensation receivable."""
        for claim in self:
            accepted = claim.amount if amount is None else amount
            claim._check_can_accept(accepted, reason)
            company = claim.company_id
            company._guarantee_share_check_setup()
            claim._guarantee_post_move(
                company.guarantee_misc_journal_id,
                fields.Date.context_today(claim),
                _("Claim %(claim)s on %(party)s, %(project)s", claim=claim.name,
                  party=claim.partner_id.name, project=claim.project_id.name),
                [
                    (company.guarantee_share_receivable_account_id, accepted, 0.0,
                     claim.partner_id),
                    (company.guarantee_compensation_account_id, 0.0, accepted,
                     claim.borrower_id),
                ],
                project=claim.project_id,
            )
            values = {"state": "accepted", "amount_accepted": accepted,
                      "date_accepted": fields.Date.context_today(claim)}
            if claim.currency_id.compare_amounts(accepted, claim.amount) < 0:
                values["refuse_reason"] = reason
            claim._unlocked().write(values)
        return True

    def action_refuse(self, reason=None):
        """The party refuses the claim: nothing is booked, the company bears the share."""
        if not (reason or "").strip():
            raise UserError(_("Give the party's reason for refusing the claim."))
        wrong = self.filtered(lambda c: c.state != "sent")
        if wrong:
            raise UserError(_("Only a sent claim can be refused (%(claims)s).",
                              claims=", ".join(wrong.mapped("name"))))
        self._unlocked().write({"state": "refused", "refuse_reason": reason,
                                "date_paid": False})
        return True

    def action_close_short(self, reason=None):
        """The party paid part of an accepted claim and will pay no more: the rest returns to
        the company's compensation receivable (Dr compensation receivable, Cr receivable
        from the party), with the reason."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason why the party pays less than it accepted."))
        for claim in self:
            if claim.state != "accepted" or claim.currency_id.is_zero(claim.amount_open):
                raise UserError(_("%(claim)s has nothing outstanding to close.",
                                  claim=claim.name))
            rest = claim.amount_open
            company = claim.company_id
            move = claim._post_shortfall_move(rest, [
                (company.guarantee_compensation_account_id, rest, 0.0, claim.borrower_id),
                (company.guarantee_share_receivable_account_id, 0.0, rest, claim.partner_id),
            ])
            claim._unlocked().write({
                "shortfall_move_id": move.id, "shortfall_amount": rest,
                "shortfall_reason": reason,
            })
            receivable = company.guarantee_share_receivable_account_id
            (claim._receivable_line() | move.line_ids.filtered(
                lambda line, account=receivable: line.account_id == account
            )).reconcile()
        return True

    # ------------------------------------------------------------------ business

    def _check_can_send(self):
        reasons = []
        for claim in self:
            if claim.state != "draft":
                reasons.append(_("%(claim)s was already sent.", claim=claim.name))
            missing = claim.document_ids.filtered(lambda d: not d.attachment_ids)
            if missing:
                reasons.append(_("%(claim)s lacks: %(documents)s.", claim=claim.name,
                                 documents=", ".join(missing.mapped("document_type_id.name"))))
        if reasons:
            raise UserError(_("The claim cannot be sent:\n%s", "\n".join(reasons)))

    def _check_can_accept(self, amount, reason):
        self.ensure_one()
        reasons = []
        if self.state != "sent":
            reasons.append(_("only a sent claim can be accepted"))
        if self.currency_id.compare_amounts(amount, 0.0) <= 0:
            reasons.append(_("the amount accepted must be positive"))
        if self.currency_id.compare_amounts(amount, self.amount) > 0:
            reasons.append(_("the party cannot accept more than the %(amount).2f claimed",
                             amount=self.amount))
        elif self.currency_id.compare_amounts(amount, self.amount) < 0 \
                and not (reason or "").strip():
            reasons.append(_("a reduced acceptance needs the party's reason"))
        if reasons:
            raise UserError(_("%(claim)s cannot be accepted: %(reasons)s.",
                              claim=self.name, reasons="; ".join(reasons)))

    def _receivable_line(self):
        self.ensure_one()
        account = self.company_id.guarantee_share_receivable_account_id
        return self.move_id.line_ids.filtered(lambda line: line.account_id == account)[:1]

    def _post_shortfall_move(self, amount, lines):
        """The entry that returns an unpaid rest to the compensation receivable."""
        self.ensure_one()
        ref = _("Shortfall of claim %(claim)s on %(party)s", claim=self.name,
                party=self.partner_id.name)
        move = self.env["account.move"].sudo().create({
            "move_type": "entry",
            "journal_id": self.company_id.guarantee_misc_journal_id.id,
            "company_id": self.company_id.id,
            "date": fields.Date.context_today(self),
            "ref": ref,
            "guarantee_project_id": self.project_id.id,
            "line_ids": [Command.create({
                "account_id": account.id, "partner_id": partner.id, "name": ref,
                "debit": debit, "credit": credit,
            }) for account, debit, credit, partner in lines],
        })
        move.with_context(guarantee_seal_entry=True).action_post()
        return move

    def _sync_payment(self):
        """Claims whose receivable is settled (bank statement, or a shortfall closed) are
        paid, dated by the last reconciliation."""
        for claim in self.filtered(lambda c: c.state == "accepted"):
            line = claim._receivable_line()
            if line.reconciled:
                partials = line.matched_debit_ids | line.matched_credit_ids
                claim._unlocked().write({
                    "state": "paid",
                    "date_paid": max(partials.mapped("max_date") or [fields.Date.today()]),
                })

    @api.model
    def _create_for(self, compensations):
        """One draft claim per covered share of each paid compensation's project, unless
        its agreement was already claimed for it; its amounts follow the agreement."""
        vals_list = []
        for compensation in compensations.filtered(lambda c: c.state == "paid"):
            claimed = compensation.share_claim_ids.agreement_id
            for line in compensation.project_id.share_ids.filtered("covered"):
                agreement = line.agreement_id
                if agreement in claimed:
                    continue
                vals = self._prepare_claim(compensation, line)
                if vals:
                    vals_list.append(vals)
        # the documents of a claim are created with it, on it
        documents = self.env["guarantee.share.claim.document"]._unlocked()
        return self.with_env(documents.env)._unlocked().create(vals_list)

    def _prepare_claim(self, compensation, line):
        agreement = line.agreement_id
        date_paid = compensation.date_paid or fields.Date.context_today(self)
        cap_left = None
        if agreement.claim_annual_cap:
            cap_left = agreement.claim_annual_cap - self._claimed_in_year(agreement, date_paid)
        principal, interest, total, capped = risk_sharing.claim_amounts(
            compensation.principal, compensation.interest, line.share, agreement.claim_base,
            cap_left)
        if total <= 0:
            compensation.message_post(body=_(
                "No claim on %(party)s: its annual cap of %(cap).2f is used up.",
                party=agreement.partner_id.name, cap=agreement.claim_annual_cap))
            return None
        documents = compensation.project_id.document_ids
        return {
            "compensation_id": compensation.id,
            "agreement_id": agreement.id,
            "share": line.share,
            "claim_base": agreement.claim_base,
            "principal_part": principal,
            "interest_part": interest,
            "amount": total,
            "capped_note": _("cut to the %(cap).2f left of the annual cap",
                             cap=cap_left) if capped else False,
            "date_deadline": fields.Date.add(date_paid, days=agreement.claim_days),
            "document_ids": [Command.create({
                "document_type_id": doc_type.id,
                "attachment_ids": [Command.set(documents.filtered(
                    lambda d, doc_type=doc_type: d.document_type_id == doc_type
                ).attachment_ids.ids)],
            }) for doc_type in agreement.claim_document_type_ids],
        }

    def _claimed_in_year(self, agreement, day):
        """What ``agreement``'s party was claimed for compensations paid in ``day``'s year
        (refused claims aside)."""
        claims = self.sudo().search([
            ("agreement_id", "=", agreement.id), ("state", "!=", "refused"),
            ("date_compensation", ">=", day.replace(month=1, day=1)),
            ("date_compensation", "<=", day.replace(month=12, day=31)),
        ])
        return sum(claims.mapped("amount"))

    @api.model
    def _deadline_warnings(self, today, days_before=7):
        """A warning for every draft claim whose deadline is at most ``days_before`` days
        away (or past), once per claim."""
        claims = self.sudo().search([
            ("state", "=", "draft"),
            ("date_deadline", "<=", fields.Date.add(today, days=days_before)),
        ])
        Signal = self.env["guarantee.risk.signal"].sudo()._unlocked()
        keys = {"share_claim:%s" % claim.id: claim for claim in claims}
        known = set(Signal.search([("provider_event_id", "in", list(keys))])
                    .mapped("provider_event_id"))
        vals_list = []
        for key, claim in keys.items():
            if key in known:
                continue
            vals_list.append({
                "project_id": claim.project_id.id,
                "signal_type": "share_claim_due",
                "kind": "other",
                "severity": "high",
                "date": today,
                "source": claim.partner_id.name,
                "provider_event_id": key,
                "amount": claim.amount,
                "description": self.env._(
                    "The claim %(claim)s of %(amount)s on %(party)s is not sent; it must be "
                    "sent by %(deadline)s or it will not be paid.",
                    claim=claim.name, amount=claim.project_id._format_amount(claim.amount),
                    party=claim.partner_id.name, deadline=claim.date_deadline),
            })
        return Signal.create(vals_list)
