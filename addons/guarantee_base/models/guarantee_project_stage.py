from odoo import api, fields, models, tools
from odoo.tools import SQL

from .guarantee_project import PROJECT_STATES

# States a project does not leave: their stage is a point in time, not a bar.
FINAL_STATES = ("closed", "cancelled", "rejected")


class GuaranteeProjectStage(models.Model):
    """One bar per stage of a project, read from its state history: a stage starts when
    the project entered the state and ends when it entered the next one (the stage Gantt,
    各阶段状态). The stage the project is in runs to now; a final state (closed, cancelled,
    rejected) has no end."""

    _name = "guarantee.project.stage"
    _description = "Guarantee Project Stage"
    _auto = False
    _order = "project_id, date_start, id"
    _rec_name = "state"

    project_id = fields.Many2one("guarantee.project", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("guarantee.product", readonly=True)
    manager_id = fields.Many2one("res.users", string="Project Manager", readonly=True)
    assistant_id = fields.Many2one("res.users", string="B-role", readonly=True)
    project_state = fields.Selection(PROJECT_STATES, string="Project Status", readonly=True)
    state = fields.Selection(PROJECT_STATES, string="Stage", readonly=True)
    user_id = fields.Many2one("res.users", string="Moved by", readonly=True)
    date_start = fields.Datetime(string="Entered", readonly=True)
    date_end = fields.Datetime(string="Left", readonly=True)
    is_current = fields.Boolean(string="Current Stage", readonly=True)
    duration_days = fields.Float(string="Days", digits=(16, 2), readonly=True)
    stage_label = fields.Char(string="Stage Name", compute="_compute_stage_label")

    @api.depends("state")
    def _compute_stage_label(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for stage in self:
            stage.stage_label = labels.get(stage.state, "")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            """
            CREATE VIEW %(table)s AS (
                WITH logs AS (
                    SELECT log.id, log.project_id, log.state, log.user_id,
                           log.date AS date_start,
                           LEAD(log.date) OVER (
                               PARTITION BY log.project_id ORDER BY log.date, log.id
                           ) AS date_next
                      FROM guarantee_project_state_log log
                )
                SELECT logs.id,
                       logs.project_id,
                       project.company_id,
                       project.partner_id,
                       project.product_id,
                       project.manager_id,
                       project.assistant_id,
                       project.state AS project_state,
                       logs.state,
                       logs.user_id,
                       logs.date_start,
                       CASE WHEN logs.date_next IS NOT NULL THEN logs.date_next
                            WHEN logs.state IN %(final)s THEN NULL
                            ELSE (now() AT TIME ZONE 'UTC')::timestamp(0)
                       END AS date_end,
                       logs.date_next IS NULL AS is_current,
                       CASE WHEN logs.date_next IS NULL AND logs.state IN %(final)s THEN 0
                            ELSE ROUND(EXTRACT(EPOCH FROM COALESCE(
                                logs.date_next, (now() AT TIME ZONE 'UTC')::timestamp(0)
                            ) - logs.date_start)::numeric / 86400, 2)
                       END AS duration_days
                  FROM logs
                  JOIN guarantee_project project ON project.id = logs.project_id
            )
            """,
            table=SQL.identifier(self._table), final=FINAL_STATES,
        ))
