from odoo import _, api, fields, models
from odoo.tools import float_compare

from odoo.addons.guarantee_platform.tools.money import format_amount

from ..tools import regulatory
from .guarantee_position_aggregate import POSITION_FIELDS

# States in which a project is not yet in force, so its limits are shown as before/after.
# Steps checked against the regulatory limits (with commitments), and the project fields
# whose change moves the exposure ledger.
LIMIT_STEPS = ("approve", "activate")
LEDGER_FIELDS = {
    "state",
    "amount",
    "own_share",
    "loan_amount_released",
    "principal_repaid",
    "partner_id",
    "product_id",
    "issuer_rating",
    "currency_id",
    "company_id",
}

PROSPECTIVE_STATES = ("draft", "accepted", "investigating", "reviewing", "approved", "contracted")


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    collateral_ids = fields.One2many(
        "guarantee.collateral", "project_id", string="Counter-Guarantees"
    )
    party_ids = fields.Many2many(compute="_compute_party_ids", store=True)
    collateral_value = fields.Monetary(
        string="Recognized Counter-Guarantee Value",
        compute="_compute_coverage_ratio",
        store=True,
        currency_field="currency_id",
    )
    coverage_ratio = fields.Float(
        string="Coverage Ratio (%)",
        digits=(16, 2),
        compute="_compute_coverage_ratio",
        store=True,
        help="Recognized value of the counter-guarantees not released / own-share amount.",
    )
    min_coverage_ratio = fields.Float(related="product_id.min_coverage_ratio")
    liability_balance = fields.Monetary(
        string="Liability Balance",
        compute="_compute_liability_balance",
        store=True,
        currency_field="currency_id",
        help="责任余额: the balance in force weighted by the regulatory rules (75% for small and "
        "micro borrowers up to ¥5,000,000 and farm households up to ¥2,000,000, 80% for bonds "
        "rated AA or above, 30% for housing, non-financing excluded).",
    )
    credit_line_id = fields.Many2one(
        "guarantee.credit.line",
        compute="_compute_credit_line_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'confirmed')]",
    )
    credit_line_available = fields.Monetary(
        related="credit_line_id.amount_available", string="Credit Available"
    )
    risk_signal_ids = fields.One2many("guarantee.risk.signal", "project_id", string="Signals")
    risk_signal_count = fields.Integer(compute="_compute_risk_signal_count")
    classification_ids = fields.One2many(
        "guarantee.risk.classification", "project_id", string="Classification History"
    )
    limit_override_ids = fields.One2many(
        "guarantee.limit.override", "project_id", string="Limit Overrides"
    )
    # Regulatory limits, before and after this project is in force (not stored: live figures)
    limit_net_assets = fields.Monetary(compute="_compute_limits", currency_field="currency_id")
    limit_liability_before = fields.Monetary(
        string="Liability Balance Before", compute="_compute_limits", currency_field="currency_id"
    )
    limit_liability_after = fields.Monetary(
        string="Liability Balance After", compute="_compute_limits", currency_field="currency_id"
    )
    limit_leverage_before = fields.Float(
        string="Leverage Before", compute="_compute_limits", digits=(16, 2)
    )
    limit_leverage_after = fields.Float(
        string="Leverage After", compute="_compute_limits", digits=(16, 2)
    )
    limit_leverage_max = fields.Float(
        string="Leverage Limit", compute="_compute_limits", digits=(16, 1)
    )
    limit_party_pct_before = fields.Float(
        string="Party % Before", compute="_compute_limits", digits=(16, 2)
    )
    limit_party_pct_after = fields.Float(
        string="Party % After", compute="_compute_limits", digits=(16, 2)
    )
    limit_group_pct_before = fields.Float(
        string="Group % Before", compute="_compute_limits", digits=(16, 2)
    )
    limit_group_pct_after = fields.Float(
        string="Group % After", compute="_compute_limits", digits=(16, 2)
    )
    limit_breaches = fields.Text(string="Limits Exceeded", compute="_compute_limits")
    show_limits = fields.Boolean(compute="_compute_limits")

    # ------------------------------------------------------------------ computes

    @api.depends("collateral_ids.owner_id")
    def _compute_party_ids(self):
        for project in self:
            project.party_ids = project.collateral_ids.owner_id

    @api.depends("collateral_ids.recognized_value", "collateral_ids.state", "amount", "own_share")
    def _compute_coverage_ratio(self):
        for project in self:
            value = sum(
                project.collateral_ids.filtered(lambda c: c.state != "released").mapped(
                    "recognized_value"
                )
            )
            exposure = project._own_share_amount()
            project.collateral_value = value
            project.coverage_ratio = value * 100.0 / exposure if exposure else 0.0

    @api.depends(
        "balance",
        "business_type",
        "issuer_rating",
        "partner_id.enterprise_scale",
        "partner_id.is_company",
        "partner_id.is_agricultural",
        "partner_id.commercial_partner_id.enterprise_scale",
        "partner_id.commercial_partner_id.is_company",
        "partner_id.commercial_partner_id.is_agricultural",
        "partner_id.guarantee_project_ids.balance",
    )
    def _compute_liability_balance(self):
        loan_totals = self._borrower_loan_totals()
        for project in self:
            partner = project._borrower()
            weight = regulatory.liability_weight(
                project.business_type,
                loan_totals.get((project.company_id.id, project._borrower_key()), 0.0),
                partner.enterprise_scale,
                partner.is_company,
                partner.is_agricultural,
                project.issuer_rating,
            )
            project.liability_balance = regulatory.weighted(project.balance, weight)

    @api.depends("partner_id", "company_id")
    def _compute_credit_line_id(self):
        CreditLine = self.env["guarantee.credit.line"].sudo()
        today = fields.Date.context_today(self)
        for project in self:
            if project.state in PROSPECTIVE_STATES and project.partner_id:
                project.credit_line_id = CreditLine._find_valid(
                    project.partner_id, project.company_id or self.env.company, today
                )

    def _compute_risk_signal_count(self):
        counts = dict(
            self.env["guarantee.risk.signal"]._read_group(
                [("project_id", "in", self.ids), ("state", "in", ("new", "acknowledged"))],
                ["project_id"],
                ["__count"],
            )
        )
        for project in self:
            project.risk_signal_count = counts.get(project, 0)

    @api.depends("state", "amount", "own_share", "partner_id", "product_id", "issuer_rating")
    def _compute_limits(self):
        engine = self.env["guarantee.regulatory.engine"]
        for project in self:
            show = project.state in PROSPECTIVE_STATES and bool(
                project.id and project.partner_id and project.product_id
            )
            figures = engine.evaluate(project) if show else None
            before = figures["before"] if figures else {}
            after = figures["after"] if figures else {}
            project.update(
                {
                    "show_limits": show,
                    "limit_net_assets": figures["net_assets"] if figures else 0.0,
                    "limit_liability_before": before.get("liability", 0.0),
                    "limit_liability_after": after.get("liability", 0.0),
                    "limit_leverage_before": before.get("leverage") or 0.0,
                    "limit_leverage_after": after.get("leverage") or 0.0,
                    "limit_leverage_max": figures["leverage_limit"] if figures else 0.0,
                    "limit_party_pct_before": before.get("party_pct") or 0.0,
                    "limit_party_pct_after": after.get("party_pct") or 0.0,
                    "limit_group_pct_before": before.get("group_pct") or 0.0,
                    "limit_group_pct_after": after.get("group_pct") or 0.0,
                    "limit_breaches": "\n".join(figures["breaches"]) if figures else False,
                }
            )

    # ------------------------------------------------------------------ CRUD

    @api.model
    def _create(self, data_list):
        projects = super()._create(data_list)
        self.env["guarantee.position.aggregate"].sudo()._refresh_projects(projects.ids)
        return projects

    def _write_multi(self, vals_list):
        """Keep today's portfolio aggregates in step with every stored change of a project,
        computed and related fields included (the flush writes them all here)."""
        partners_before = set()
        if any("partner_id" in vals for vals in vals_list):
            self.env.cr.execute(
                "SELECT DISTINCT partner_id FROM guarantee_project WHERE id = ANY(%s)",
                [self.ids],
            )
            partners_before = {row[0] for row in self.env.cr.fetchall() if row[0]}
        super()._write_multi(vals_list)
        moved = [
            project.id
            for project, vals in zip(self, vals_list, strict=True)
            if POSITION_FIELDS.intersection(vals)
        ]
        self.env["guarantee.position.aggregate"].sudo()._refresh_projects(
            moved, partners_before=partners_before
        )

    def unlink(self):
        partners = self.env["guarantee.position.aggregate"].sudo()._refresh_projects(
            self.ids, removed=True
        )
        result = super().unlink()
        self.env["guarantee.position.party"].sudo()._refresh_partners(partners)
        return result

    def write(self, vals):
        """Keep the exposure ledger in step, in this transaction, for the borrowers touched."""
        moved = LEDGER_FIELDS.intersection(vals)
        partners = self.partner_id if moved else self.env["res.partner"]
        result = super().write(vals)
        if moved:
            self.env["guarantee.exposure"].sudo()._refresh_partners(partners | self.partner_id)
        return result

    # ------------------------------------------------------------------ actions

    @api.readonly
    def action_view_risk_signals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_risk_signal_board_action"
        )
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        return action

    def action_open_limit_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve Beyond Limits"),
            "res_model": "guarantee.limit.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    def action_propose_classification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Risk Class"),
            "res_model": "guarantee.risk.classification",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }

    # ------------------------------------------------------------------ transitions

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if self.state not in self._lock_transitions[step][0]:
            return blockers
        if step == "approve":
            blockers += self._credit_line_blockers()
            blockers += self._limit_blockers()
        elif step in ("contract", "activate"):
            blockers += self._collateral_blockers()
        if step == "activate":
            blockers += self._limit_blockers()
        return blockers

    def _lock_fields_for(self, state):
        """The credit line of a project with money at stake changes by _reassign only."""
        locked = super()._lock_fields_for(state)
        if state in ("active", "compensated"):
            locked.add("credit_line_id")
        return locked

    @api.model
    def _reassign_groups(self):
        groups = super()._reassign_groups()
        groups["credit_line_id"] = (
            "guarantee_base.group_guarantee_risk", "guarantee_base.group_guarantee_executive",
        )
        return groups

    def _check_can(self, step, **options):
        """Approvals and activations of a company queue on its exposure ledger total, so that
        each one is checked on the figures left by the one before."""
        if step in LIMIT_STEPS:
            self.env["guarantee.exposure"]._lock_companies(sorted(set(self.company_id.ids)))
        return super()._check_can(step, **options)

    def _after_transition(self, step):
        super()._after_transition(step)
        if step == "approve":
            for project in self.filtered(lambda p: not p.credit_line_id):
                line = project._valid_credit_line()
                if line:
                    project.credit_line_id = line
        if step in ("release", "close"):
            self.collateral_ids.filtered(lambda c: c.state != "released").sudo().action_release()

    # ------------------------------------------------------------------ helpers

    def _own_share_amount(self):
        self.ensure_one()
        return self.amount * self.own_share / 100.0

    def _borrower(self):
        """The borrower the limits count: the applicant's commercial entity (a contact
        person of a company borrows as that company)."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id

    def _borrower_key(self):
        partner = self._borrower()
        return partner.uscc or "partner-%s" % partner.id

    def _borrower_loan_totals(self):
        """In-force loan-guarantee balance per (company, borrower key), for the borrowers of
        ``self``: the total that decides whether a loan is weighted 75%."""
        partners = self.partner_id.commercial_partner_id
        if not partners:
            return {}
        usccs = [uscc for uscc in partners.mapped("uscc") if uscc]
        domain = [
            ("state", "=", "active"),
            ("business_type", "=", "loan"),
            ("company_id", "in", self.company_id.ids),
        ]
        partner_domain = [("partner_id.commercial_partner_id", "in", partners.ids)]
        if usccs:
            partner_domain = [
                "|", ("partner_id.commercial_partner_id.uscc", "in", usccs),
            ] + partner_domain
        totals = {}
        for company, partner, balance in (
            self.env["guarantee.project"]
            .sudo()
            ._read_group(domain + partner_domain, ["company_id", "partner_id"], ["balance:sum"])
        ):
            borrower = partner.commercial_partner_id
            key = (company.id, borrower.uscc or "partner-%s" % borrower.id)
            totals[key] = totals.get(key, 0.0) + balance
        return totals

    def _collateral_blockers(self):
        self.ensure_one()
        blockers = []
        minimum = self.product_id.min_coverage_ratio
        if minimum and float_compare(self.coverage_ratio, minimum, precision_digits=2) < 0:
            blockers.append(
                _(
                    "Counter-guarantee coverage %(ratio).2f%% is below the product minimum of "
                    "%(min).2f%% (recognized value %(value)s / own-share amount %(exposure)s).",
                    ratio=self.coverage_ratio,
                    min=minimum,
                    value=self._format_amount(self.collateral_value),
                    exposure=self._format_amount(self._own_share_amount()),
                )
            )
        unregistered = self.collateral_ids.filtered(
            lambda c: c.registration_required and c.state == "planned"
        )
        if unregistered:
            blockers.append(
                _(
                    "These counter-guarantees must be registered first: %(names)s.",
                    names=", ".join(unregistered.mapped("name")),
                )
            )
        return blockers

    def _valid_credit_line(self):
        """The customer's confirmed line valid today (a line may be granted after intake)."""
        self.ensure_one()
        return (
            self.env["guarantee.credit.line"]
            .sudo()
            ._find_valid(self.partner_id, self.company_id, fields.Date.context_today(self))
        )

    def _credit_line_blockers(self):
        self.ensure_one()
        line = self.credit_line_id or self._valid_credit_line()
        if not line:
            return []
        today = fields.Date.context_today(self)
        if line.state != "confirmed" or not line.date_start <= today <= line.date_end:
            return [
                _(
                    "The credit line %(line)s is not valid today (%(start)s to %(end)s).",
                    line=line.name,
                    start=line.date_start,
                    end=line.date_end,
                )
            ]
        exposure = self._own_share_amount()
        if self.currency_id.compare_amounts(exposure, line.amount_available) > 0:
            return [
                _(
                    "The exposure %(exposure)s exceeds the available credit of %(available)s "
                    "on line %(line)s (line %(amount)s, used %(used)s).",
                    exposure=self._format_amount(exposure),
                    available=self._format_amount(line.amount_available),
                    line=line.name,
                    amount=self._format_amount(line.amount),
                    used=self._format_amount(line.amount_used),
                )
            ]
        return []

    def _limit_blockers(self):
        """Regulatory limits with this project included, unless an executive overrode them;
        the ban on guaranteeing the company's controllers admits no override."""
        self.ensure_one()
        figures = self.env["guarantee.regulatory.engine"].evaluate(self)
        if not figures["limits_exceeded"]:
            return figures["bans"]
        overrides = self.limit_override_ids
        if any(override._covers(figures) for override in overrides):
            return figures["bans"]
        if overrides:
            hint = _(
                "The override of %(date)s was given for smaller figures (liability balance "
                "after %(liability)s, party %(party)s, net assets %(net)s); the portfolio "
                "changed since, so an executive must decide again.",
                date=overrides[0].date,
                liability=self._format_amount(overrides[0].liability_after),
                party=self._format_amount(overrides[0].party_after),
                net=self._format_amount(overrides[0].net_assets),
            )
        else:
            hint = _("Only an executive can approve beyond these limits, with a reason.")
        return figures["bans"] + figures["limits_exceeded"] + [hint]

    def _format_amount(self, amount):
        return format_amount(amount, self.currency_id.symbol)
