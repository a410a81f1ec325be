import hashlib
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

WATCH_CHANNEL = "root.guarantee_connector"

# Partner fields that decide a borrower's key, weight category or related group in the ledger.
LEDGER_PARTNER_FIELDS = {
    "uscc",
    "enterprise_scale",
    "is_company",
    "is_agricultural",
    "related_group_id",
    "parent_id",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    guarantee_watch_date = fields.Date(
        string="Last Registry Check", readonly=True, index=True, copy=False,
        help="Day of the last successful check at the data provider.",
    )
    guarantee_profile_ids = fields.One2many(
        "guarantee.partner.profile", "partner_id", string="Registry Profiles", readonly=True,
    )
    guarantee_signal_ids = fields.One2many("guarantee.risk.signal", "partner_id",
                                           string="Warnings")
    guarantee_signal_count = fields.Integer(compute="_compute_guarantee_signal_count")

    def _compute_guarantee_signal_count(self):
        counts = dict(self.env["guarantee.risk.signal"]._read_group(
            [("partner_id", "in", self.ids), ("state", "in", ("new", "acknowledged"))],
            ["partner_id"], ["__count"],
        ))
        for partner in self:
            partner.guarantee_signal_count = counts.get(partner, 0)

    @api.readonly
    def action_view_guarantee_signals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_risk.guarantee_risk_signal_board_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_guarantee_watch_now(self):
        """Check this customer at the company's data provider now (on demand)."""
        self.ensure_one()
        provider = self.env["guarantee.data.provider"]._default_for(self.env.company)
        if not provider:
            raise UserError(_("No registry data provider is configured for %(company)s.",
                              company=self.env.company.name))
        if not self.uscc:
            raise UserError(_("%(partner)s has no unified social credit code to look up.",
                              partner=self.name))
        checked, _failed = self.sudo()._guarantee_watch(provider)
        if not checked:
            raise UserError(_("The data provider %(provider)s did not answer; the check is "
                              "logged and will be retried by the scheduled watch.",
                              provider=provider.name))
        return self.action_view_guarantee_signals()

    # ------------------------------------------------------------------ scheduled watch

    @api.model
    def _guarantee_watch_targets(self, company):
        """Ids of the customers and guarantors with a project in force (one query)."""
        self.env.cr.execute(
            """
            SELECT p.partner_id FROM guarantee_project p
             WHERE p.state = 'active' AND p.company_id = %(company)s
            UNION
            SELECT c.owner_id FROM guarantee_collateral c
              JOIN guarantee_project p ON p.id = c.project_id
             WHERE c.kind = 'guarantor' AND c.owner_id IS NOT NULL
               AND p.state = 'active' AND p.company_id = %(company)s
            """,
            {"company": company.id},
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _guarantee_watched_projects(self):
        """{partner id: the in-force project a signal about that partner is attached to}."""
        projects = self.env["guarantee.project"].sudo().search(
            [("state", "=", "active"), ("partner_id", "in", self.ids)], order="date_start desc"
        )
        result = {}
        for project in projects:
            result.setdefault(project.partner_id.id, project)
        missing = [pid for pid in self.ids if pid not in result]
        if missing:
            for collateral in self.env["guarantee.collateral"].sudo().search([
                ("kind", "=", "guarantor"), ("owner_id", "in", missing),
                ("project_id.state", "=", "active"),
            ]):
                result.setdefault(collateral.owner_id.id, collateral.project_id)
        return result

    @api.model
    def _cron_guarantee_watch(self, batch_size=200, runs_per_day=24):
        """Queue today's share of the watch: every customer in force once a day, spread over
        ``runs_per_day`` runs of this cron, in jobs of ``batch_size`` partners. Resumable: a
        partner is due until a check succeeds, so an interrupted round continues at the next
        run and a job failing for good leaves its partners due."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            provider = self.env["guarantee.data.provider"].sudo()._default_for(company)
            if not provider:
                continue
            targets = self._guarantee_watch_targets(company)
            due = self.sudo().search(
                [("id", "in", targets), ("uscc", "!=", False), "|",
                 ("guarantee_watch_date", "=", False), ("guarantee_watch_date", "<", today)],
                order="guarantee_watch_date asc nulls first, id",
                limit=max(math.ceil(len(targets) / max(runs_per_day, 1)), batch_size),
            )
            for start in range(0, len(due), batch_size):
                ids = due.ids[start:start + batch_size]
                self.with_company(company).with_delay(
                    channel=WATCH_CHANNEL, max_retries=5,
                    identity_key="guarantee-watch:%s:%s:%s" % (
                        provider.id, today, hashlib.sha1(str(ids).encode()).hexdigest()),
                    description=_("Registry watch of %(count)s customers", count=len(ids)),
                )._guarantee_watch_batch(provider.id, ids)

    @api.model
    def _guarantee_watch_batch(self, provider_id, partner_ids):
        """Job: check these partners; retried with backoff when the provider is down."""
        provider = self.env["guarantee.data.provider"].sudo().browse(provider_id).exists()
        partners = self.sudo().browse(partner_ids).exists()
        if not provider or not partners:
            return _("Nothing to check.")
        checked, failed = partners._guarantee_watch(provider)
        if failed and not checked:
            raise RetryableJobError(
                _("The data provider answered none of %(count)s checks.", count=len(failed)),
                seconds=600,
            )
        return _("%(checked)s checked, %(failed)s left for the next run.",
                 checked=len(checked), failed=len(failed))

    def _guarantee_watch(self, provider):
        checked, failed = provider.sudo()._poll(self.sudo().filtered("uscc"))
        if checked:
            checked.sudo().write({"guarantee_watch_date": fields.Date.context_today(self)})
        return checked, failed

    def write(self, vals):
        concentration = {"uscc", "related_group_id"}.intersection(vals)
        before = ([], [])
        if concentration and self.ids:
            # the borrower keys and groups these partners leave
            self.flush_recordset(["uscc", "related_group_id"])
            self.env.cr.execute(
                "SELECT COALESCE(NULLIF(uscc, ''), 'partner-' || id), related_group_id "
                "FROM res_partner WHERE id = ANY(%s)",
                [self.ids],
            )
            rows = self.env.cr.fetchall()
            before = ([row[0] for row in rows], [row[1] for row in rows if row[1]])
        result = super().write(vals)
        if LEDGER_PARTNER_FIELDS.intersection(vals):
            self.env["guarantee.exposure"].sudo()._refresh_partners(self)
        if concentration and self.ids:
            self.flush_recordset(["uscc", "related_group_id"])
            self.env["guarantee.position.party"].sudo()._refresh_partners(
                self.ids, keys=before[0], groups=before[1]
            )
        return result
