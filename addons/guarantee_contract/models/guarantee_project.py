from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..tools.fee_schedule import fee_schedule

FEE_SCHEDULE_TYPES = [("upfront", "Upfront"), ("instalments", "Instalments")]


class GuaranteeProject(models.Model):
    _inherit = "guarantee.project"

    contract_ids = fields.One2many("guarantee.contract", "project_id", string="Contracts")
    contract_count = fields.Integer(compute="_compute_contract_count")
    contracts_missing = fields.Text(
        compute="_compute_contracts_missing",
        help="Contracts the project needs that are not drawn up yet.",
    )

    margin_ids = fields.One2many("guarantee.margin", "project_id", string="Margin Movements")
    margin_required = fields.Monetary(
        compute="_compute_margin_required",
        store=True,
        currency_field="currency_id",
        help="Guaranteed amount × margin rate.",
    )
    margin_received = fields.Monetary(
        compute="_compute_margin_balance", store=True, currency_field="currency_id"
    )
    margin_balance = fields.Monetary(
        compute="_compute_margin_balance",
        store=True,
        currency_field="currency_id",
        help="Receipts − refunds − offsets of the confirmed movements.",
    )

    fee_ids = fields.One2many("guarantee.fee", "project_id", string="Fee Schedule")
    fee_schedule_type = fields.Selection(
        FEE_SCHEDULE_TYPES, default="upfront", required=True, tracking=True
    )
    fee_instalments = fields.Integer(
        string="Number of Instalments", default=1, tracking=True
    )
    fee_total = fields.Monetary(
        compute="_compute_fee_totals", store=True, currency_field="currency_id"
    )
    fee_paid = fields.Monetary(
        compute="_compute_fee_totals", store=True, currency_field="currency_id"
    )

    @api.depends("contract_ids")
    def _compute_contract_count(self):
        counts = dict(
            self.env["guarantee.contract"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        for project in self:
            project.contract_count = counts.get(project, 0)

    @api.depends(
        "contract_ids.state",
        "contract_ids.kind",
        "collateral_ids.state",
        "product_id.needs_guarantee_contract",
        "product_id.needs_counter_contracts",
        "creditor_id",
    )
    def _compute_contracts_missing(self):
        kinds = self._contract_kind_labels()
        for project in self:
            missing = project._missing_contract_specs()
            project.contracts_missing = "\n".join(
                kinds[kind] + (" — %s" % collateral.display_name if collateral else "")
                for kind, collateral in missing
            ) or False

    @api.depends("amount", "margin_rate", "currency_id")
    def _compute_margin_required(self):
        for project in self:
            project.margin_required = project.currency_id.round(
                project.amount * project.margin_rate / 100.0
            )

    @api.depends("margin_ids.state", "margin_ids.kind", "margin_ids.amount")
    def _compute_margin_balance(self):
        sums = {
            (project.id, kind): amount
            for project, kind, amount in self.env["guarantee.margin"]._read_group(
                [("project_id", "in", self.ids), ("state", "=", "done")],
                ["project_id", "kind"],
                ["amount:sum"],
            )
        }
        for project in self:
            received = sums.get((project.id, "receipt"), 0.0)
            project.margin_received = received
            project.margin_balance = project.currency_id.round(
                received
                - sums.get((project.id, "refund"), 0.0)
                - sums.get((project.id, "offset"), 0.0)
            )

    @api.depends("fee_ids.state", "fee_ids.amount", "fee_ids.amount_paid")
    def _compute_fee_totals(self):
        for project in self:
            fees = project.fee_ids.filtered(lambda f: f.state != "cancelled")
            project.fee_total = sum(fees.mapped("amount"))
            project.fee_paid = sum(fees.filtered(lambda f: f.state == "paid").mapped("amount_paid"))

    # ------------------------------------------------------------------ actions

    def action_generate_fee_schedule(self):
        """(Re)build the fee schedule from the terms: one upfront line or N instalments."""
        for project in self:
            project._check_can_generate_fee_schedule()
            lines = fee_schedule(
                project.amount,
                project.fee_rate,
                project.date_start,
                project.date_end,
                project.company_id.guarantee_fee_day_count,
                instalments=(
                    project.fee_instalments if project.fee_schedule_type == "instalments" else 1
                ),
            )
            project._discard_fees(project.fee_ids.filtered(lambda f: f.state == "due"))
            project.fee_ids.filtered(lambda f: f.state == "cancelled")._discard_if_unbooked()
            self.env["guarantee.fee"].create([
                {
                    "project_id": project.id,
                    "sequence": index,
                    "date_from": date_from,
                    "date_to": date_to,
                    "date_due": date_from,
                    "amount": float(amount),
                    "is_upfront": index == 1,
                }
                for index, (date_from, date_to, amount) in enumerate(lines, start=1)
            ])
        return True

    def action_generate_contracts(self):
        """Draw up the contracts the project needs and does not have yet."""
        contracts = self.env["guarantee.contract"]
        for project in self:
            if project.state not in ("approved", "contracted", "active"):
                raise UserError(
                    _("Contracts are drawn up once the project is approved (%(project)s).",
                      project=project.display_name)
                )
            project._ensure_fee_schedule()
            contracts |= contracts.create([
                {"project_id": project.id, "kind": kind, "collateral_id": collateral.id}
                for kind, collateral in project._missing_contract_specs()
            ])
        return self.action_view_contracts() if contracts else True

    @api.readonly
    def action_view_contracts(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "guarantee_contract.guarantee_contract_action"
        )
        action["domain"] = [("project_id", "in", self.ids)]
        action["context"] = {"default_project_id": self[:1].id}
        return action

    # ------------------------------------------------------------------ gates

    def _transition_blockers(self, step, **options):
        blockers = super()._transition_blockers(step, **options)
        if step == "contract" and self.state == "approved":
            blockers += self._contract_blockers()
        if step == "release" and self.state == "active":
            blockers += self._release_blockers()
        return blockers

    def _release_blockers(self):
        """A guarantee is released only once its margin deposit is refunded (or offset)."""
        self.ensure_one()
        if self.currency_id.compare_amounts(self.margin_balance, 0.0) > 0:
            return [
                _("The margin deposit of %(balance)s is not refunded yet.",
                  balance=self._format_money(self.margin_balance))
            ]
        return []

    def _contract_blockers(self):
        """What this addon requires before contracting: every required contract signed, the
        upfront fee paid and the whole margin received."""
        self.ensure_one()
        blockers = []
        kinds = self._contract_kind_labels()
        for kind, collateral in self._required_contract_specs():
            if not self._signed_contract_for(kind, collateral):
                blockers.append(
                    _("The %(kind)s%(what)s is not signed.",
                      kind=kinds[kind],
                      what=(" — %s" % collateral.display_name) if collateral else "")
                )
        fees = self.fee_ids.filtered(lambda f: f.state != "cancelled")
        if self.fee_rate > 0 and not fees:
            blockers.append(_("The fee schedule is not generated."))
        for fee in fees.filtered(lambda f: f.is_upfront and f.state != "paid"):
            blockers.append(
                _("The upfront fee of %(amount)s is not paid.",
                  amount=self._format_money(fee.amount))
            )
        if self.currency_id.compare_amounts(self.margin_balance, self.margin_required) < 0:
            blockers.append(
                _("The margin received %(received)s is below the required %(required)s.",
                  received=self._format_money(self.margin_balance),
                  required=self._format_money(self.margin_required))
            )
        return blockers

    # ------------------------------------------------------------------ helpers

    def _required_contract_specs(self):
        """``(kind, collateral)`` of every contract the project needs.

        The applicant always signs the entrusted-guarantee contract; the creditor signs the
        guarantee contract when the product requires one; each counter-guarantee that is not
        released needs its own counter-guarantee contract.
        """
        self.ensure_one()
        empty = self.env["guarantee.collateral"]
        specs = [("entrusted", empty)]
        if self.product_id.needs_guarantee_contract and self.creditor_id:
            specs.append(("guarantee", empty))
        if self.product_id.needs_counter_contracts:
            specs += [
                ("counter", collateral)
                for collateral in self.collateral_ids.filtered(lambda c: c.state != "released")
            ]
        return specs

    def _missing_contract_specs(self):
        self.ensure_one()
        existing = {
            (contract.kind, contract.collateral_id)
            for contract in self.contract_ids
            if contract.state != "terminated"
        }
        return [spec for spec in self._required_contract_specs() if spec not in existing]

    def _signed_contract_for(self, kind, collateral):
        return self.contract_ids.filtered(
            lambda c: c.kind == kind and c.collateral_id == collateral and c.state == "signed"
        )

    def _ensure_fee_schedule(self):
        """Contracts state the guarantee fee: draw the schedule up before them when it is
        missing, so that no contract is drawn up saying the fee is ¥0.

        The schedule follows from the approved terms alone (amount, rate, dates), so whoever
        draws up the contracts draws it up too, as superuser (project managers do not write
        fees). When the terms do not allow a schedule yet, nothing is made here and sending
        the contract is refused with the reason.
        """
        self.ensure_one()
        if self.fee_rate <= 0 or self.fee_ids.filtered(lambda f: f.state != "cancelled"):
            return
        if not self._fee_schedule_blockers():
            self.sudo().action_generate_fee_schedule()

    def _discard_fees(self, fees):
        """The due lines a new schedule replaces: deleted (the accounting addon cancels
        invoiced ones with a credit note instead)."""
        fees.unlink()

    def _check_can_generate_fee_schedule(self):
        self.ensure_one()
        reasons = self._fee_schedule_blockers()
        if reasons:
            raise UserError(
                _("The fee schedule of %(project)s cannot be generated:\n - %(reasons)s",
                  project=self.display_name, reasons="\n - ".join(reasons))
            )

    def _fee_schedule_blockers(self):
        """Every reason the fee schedule cannot be generated now."""
        self.ensure_one()
        reasons = []
        if not self.date_start or not self.date_end:
            reasons.append(_("The start and end dates are needed."))
        if self.fee_schedule_type == "instalments" and self.fee_instalments < 1:
            reasons.append(_("At least one instalment is needed."))
        if self.fee_schedule_type == "instalments" and self.fee_instalments > max(
            self.term_months, 1
        ):
            reasons.append(_("There cannot be more instalments than months in the term."))
        if self.fee_ids.filtered(lambda f: f.state == "paid"):
            reasons.append(_("Fees are already paid; adjust the schedule line by line."))
        if self.state in ("released", "compensated", "closed", "cancelled", "rejected"):
            reasons.append(_("The project is no longer in a state that collects fees."))
        return reasons

    def _contract_kind_labels(self):
        field = self.env["guarantee.contract"]._fields["kind"]
        return dict(field._description_selection(self.env))

    def _format_money(self, value):
        return format_amount(self.env, value, self.currency_id)
