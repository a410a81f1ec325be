from odoo import api, models


class AuditlogLog(models.Model):
    """Every audit record is sealed in the integrity chain when it is written."""

    _inherit = "auditlog.log"

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        self.env["guarantee.hash.chain"]._seal(logs, "audit")
        return logs

    def _guarantee_chain_payload(self):
        self.ensure_one()
        return {
            "model": self.model_id.model,
            "res_id": self.res_id,
            "res_ids": self.res_ids,
            "method": self.method,
            "user": self.user_id.id,
            "date": self.create_date,
            "lines": [
                [line.field_name, line.old_value, line.new_value]
                for line in self.line_ids.sorted("id")
            ],
        }

    @api.model
    def _guarantee_chain_purged(self, link_date):
        """A sealed audit record may be gone only if retention purged it (see the cron)."""
        return link_date < self.env["res.company"]._guarantee_audit_cutoff()

    @api.model
    def _cron_guarantee_purge(self, batch=5000):
        """Delete the audit records older than the retention; never the integrity chain."""
        cutoff = self.env["res.company"]._guarantee_audit_cutoff()
        logs = self.sudo().search([("create_date", "<", cutoff)], limit=batch)
        count = len(logs)
        logs.unlink()
        return count
