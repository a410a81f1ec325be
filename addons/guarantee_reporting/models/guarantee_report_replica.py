from odoo import api, models


class GuaranteeReportFigures(models.AbstractModel):
    _inherit = "guarantee.report.figures"

    @api.readonly
    @api.model
    def database_role(self):
        """Which PostgreSQL server answers this request: ``in_recovery`` is true on a
        streaming replica (Odoo's ``--db_replica_host``), false on the primary.

        The figures are marked ``@api.readonly``: over the web client's RPC they run on the
        replica when one is configured. Operators call this the same way to check that the
        reporting reads reach the replica; the caller must be allowed to read the figures.
        """
        self._scope()
        self.env.cr.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        in_recovery, port = self.env.cr.fetchone()
        return {"in_recovery": in_recovery, "port": port, "readonly": self.env.cr.readonly}
