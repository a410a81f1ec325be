from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import risk_sharing

AGREEMENT_KINDS = [
    ("bank", "Bank"),
    ("reguarantor", "Re-guarantor"),
    ("national_fund", "National Financing-Guarantee Fund"),
    ("government_fund", "Government Risk-Compensation Fund"),
]
# Kinds that ask for the projects to be filed (备案) with them by default.
FILING_KINDS = ("reguarantor", "national_fund", "government_fund")
# Project states whose amount counts against an agreement's quota and customer caps.
COMMITTED_STATES = ("approved", "contracted", "active")


class GuaranteeShareAgreement(models.Model):
    """分险协议: with a bank, a re-guarantor, the national fund or a government fund, which
    carries ``share`` percent of the loss on the eligible projects it covers."""

    _name = "guarantee.share.agreement"
    _description = "Risk-Sharing Agreement"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Counterparty", required=True, index=True, tracking=True,
        domain="[('is_company', '=', True)]",
    )
    kind = fields.Selection(AGREEMENT_KINDS, required=True, default="reguarantor", tracking=True)
    share = fields.Float(
        string="Share (%)", digits=(16, 2), required=True, tracking=True,
        help="The share of a covered project's loss the counterparty carries.",
    )
    date_start = fields.Date(string="Valid From", tracking=True)
    date_end = fields.Date(string="Valid Until", tracking=True)

    # Eligibility
    product_ids = fields.Many2many(
        "guarantee.product", "guarantee_share_agreement_product_rel", "agreement_id",
        "product_id", string="Eligible Products",
        help="Products whose projects it covers; none: every product.",
    )
    scale_large = fields.Boolean(string="Large Enterprises")
    scale_medium = fields.Boolean(string="Medium Enterprises")
    scale_small = fields.Boolean(string="Small Enterprises", default=True)
    scale_micro = fields.Boolean(string="Micro Enterprises", default=True)
    include_agricultural = fields.Boolean(
        string="Agricultural Customers (三农)", default=True,
        help="Customers marked agricultural are eligible whatever their scale.",
    )
    max_per_customer = fields.Monetary(
        string="Cap per Customer", currency_field="currency_id", tracking=True,
        help="A customer's guaranteed amount under this agreement, this project included, "
        "at most this much (inclusive); above it the project gets no cover. 0: no cap.",
    )
    quota = fields.Monetary(
        currency_field="currency_id", tracking=True,
        help="The total guaranteed amount this agreement covers at once (approved, "
        "contracted and in-force projects). 0: no quota.",
    )
    quota_used = fields.Monetary(compute="_compute_quota_used", currency_field="currency_id")

    # Re-guarantee fee
    fee_rate = fields.Float(
        string="Fee Rate (%)", digits=(16, 4), tracking=True,
        help="Percent of the counterparty's share of the base, per year or once.",
    )
    fee_base = fields.Selection(
        [("amount", "Guaranteed Amount"), ("balance", "Outstanding Principal")],
        default="amount", required=True, tracking=True,
    )
    fee_period = fields.Selection(
        [("yearly", "Every Year"), ("once", "Once")], default="yearly", required=True,
        tracking=True,
    )
    fee_payer = fields.Selection(
        [("company", "The Company"), ("borrower", "The Borrower (collected on its behalf)")],
        default="company", required=True, tracking=True,
        help="A fee the borrower pays is collected on the counterparty's behalf: it never "
        "reaches the company's income or expenses.",
    )

    # Filing (备案)
    filing_required = fields.Boolean(
        string="Projects Are Filed", compute="_compute_filing_required", store=True,
        readonly=False, tracking=True,
        help="Covered projects must be filed (备案) with the counterparty within the deadline, "
        "or lose their cover.",
    )
    filing_days = fields.Integer(
        string="Filing Deadline (days)", default=30, tracking=True,
        help="Days after the loan release within which the project must be filed.",
    )
    filing_column_ids = fields.One2many(
        "guarantee.share.filing.column", "agreement_id", string="Filing File Columns", copy=True
    )
    connector_id = fields.Many2one(
        "guarantee.share.connector", string="Filing Connector", check_company=True,
        help="Send the filings through this connector; empty: export them as a file.",
    )

    # Claims (代偿补偿)
    claim_days = fields.Integer(
        string="Claim Deadline (days)", default=90, tracking=True,
        help="Days after the compensation is paid within which the claim must be sent.",
    )
    claim_base = fields.Selection(
        [("principal", "Principal Only"), ("principal_interest", "Principal and Interest")],
        default="principal", required=True, tracking=True,
    )
    claim_document_type_ids = fields.Many2many(
        "guarantee.document.type", "guarantee_share_agreement_document_type_rel",
        "agreement_id", "document_type_id", string="Claim Documents",
        help="The documents every claim under this agreement must carry.",
    )
    claim_annual_cap = fields.Monetary(
        string="Claims Cap per Year", currency_field="currency_id", tracking=True,
        help="The most this counterparty pays on claims in a calendar year. 0: no cap.",
    )
    share_recoveries = fields.Boolean(
        string="Recoveries Shared Back", default=True, tracking=True,
        help="Money recovered after a compensation is paid back to the counterparty in "
        "proportion to its share.",
    )
    note = fields.Text()
    project_share_ids = fields.One2many(
        "guarantee.project.share", "agreement_id", string="Project Shares"
    )

    _sql_constraints = [
        ("share_range", "CHECK(share > 0 AND share < 100)",
         "The share of an agreement must be above 0% and below 100%."),
    ]

    @api.depends("kind")
    def _compute_filing_required(self):
        for agreement in self:
            agreement.filing_required = agreement.kind in FILING_KINDS

    def _compute_quota_used(self):
        used = self._committed_amounts()
        for agreement in self:
            agreement.quota_used = used.get(agreement.id, 0.0)

    @api.constrains("date_start", "date_end", "fee_rate", "filing_days", "claim_days",
                    "max_per_customer", "quota", "claim_annual_cap")
    def _check_terms(self):
        for agreement in self:
            if agreement.date_start and agreement.date_end and \
                    agreement.date_end < agreement.date_start:
                raise ValidationError(_("%(agreement)s ends before it starts.",
                                        agreement=agreement.name))
            if min(agreement.fee_rate, agreement.filing_days, agreement.claim_days,
                   agreement.max_per_customer, agreement.quota, agreement.claim_annual_cap) < 0:
                raise ValidationError(_("Rates, days, caps and quotas of %(agreement)s cannot "
                                        "be negative.", agreement=agreement.name))

    # ------------------------------------------------------------------ eligibility

    def _committed_amounts(self, exclude_project=None, partner=None):
        """{agreement id: guaranteed amount of the approved, contracted and in-force projects
        it covers}, for one customer (by commercial partner) when ``partner`` is given."""
        domain = [
            ("agreement_id", "in", self.ids), ("eligible", "=", True),
            ("project_id.state", "in", COMMITTED_STATES),
        ]
        if exclude_project:
            domain.append(("project_id", "!=", exclude_project.id))
        if partner:
            domain.append(("project_id.partner_id.commercial_partner_id", "=",
                           partner.commercial_partner_id.id))
        groups = self.env["guarantee.project.share"].sudo()._read_group(
            domain, ["agreement_id"], ["project_amount:sum"])
        return {agreement.id: amount for agreement, amount in groups}

    def _ineligibility(self, project):
        """The translated reasons why ``project`` is outside this agreement; empty: covered."""
        self.ensure_one()
        partner = project.partner_id.commercial_partner_id
        customer = self._committed_amounts(exclude_project=project, partner=partner)
        used = self._committed_amounts(exclude_project=project)
        scales = {scale for scale in ("large", "medium", "small", "micro")
                  if self["scale_" + scale]}
        scale_ok = (partner.enterprise_scale in scales
                    or (self.include_agricultural and partner.is_agricultural))
        day = project.loan_release_date or project.date_start or fields.Date.context_today(self)
        codes = risk_sharing.eligibility(
            product_ok=not self.product_ids or project.product_id in self.product_ids,
            scale_ok=scale_ok,
            customer_total=customer.get(self.id, 0.0) + project.amount,
            customer_cap=self.max_per_customer,
            quota_used=used.get(self.id, 0.0) + project.amount,
            quota=self.quota,
            in_dates=(not self.date_start or day >= self.date_start)
            and (not self.date_end or day <= self.date_end),
        )
        sentences = {
            risk_sharing.NOT_PRODUCT: _("the product %(product)s is not covered",
                                        product=project.product_id.display_name),
            risk_sharing.NOT_SCALE: _("the customer's scale or category is not covered"),
            risk_sharing.ABOVE_CUSTOMER_CAP: _(
                "the customer's %(total)s would exceed the cap of %(cap)s per customer",
                total=project._format_amount(customer.get(self.id, 0.0) + project.amount),
                cap=project._format_amount(self.max_per_customer)),
            risk_sharing.ABOVE_QUOTA: _(
                "the agreement's quota of %(quota)s would be exceeded",
                quota=project._format_amount(self.quota)),
            risk_sharing.OUT_OF_DATES: _("the project falls outside the agreement's dates"),
        }
        return [sentences[code] for code in codes]

    # ------------------------------------------------------------------ warnings

    @api.model
    def _cron_deadline_warnings(self):
        """Daily: a warning for every filing (and, in accounting, every claim) whose
        deadline has passed or is near."""
        self._deadline_warnings(fields.Date.context_today(self))

    @api.model
    def _deadline_warnings(self, today):
        return self.env["guarantee.share.filing"]._overdue_warnings(today)
