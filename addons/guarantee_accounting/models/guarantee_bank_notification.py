import json

from odoo import _, fields, models
from odoo.exceptions import UserError

NOTIFICATION_TYPES = [
    ("loan_released", "Loan Released"),
    ("repayment", "Repayment"),
    ("overdue", "Overdue"),
]


class GuaranteeBankNotification(models.Model):
    """A notification pushed by a bank, kept once per bank event id."""

    _name = "guarantee.bank.notification"
    _description = "Bank Notification"
    _order = "id desc"

    connector_id = fields.Many2one(
        "guarantee.bank.connector", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="connector_id.company_id", store=True, index=True)
    event_id = fields.Char(string="Bank Event ID", required=True, index=True)
    event_type = fields.Selection(NOTIFICATION_TYPES, required=True)
    project_id = fields.Many2one("guarantee.project", index=True, ondelete="set null")
    payload = fields.Text(required=True)
    state = fields.Selection([("done", "Processed"), ("error", "Error")], required=True,
                             default="done")
    error = fields.Text()

    _sql_constraints = [
        ("event_unique", "unique(connector_id, event_id)", "This bank event is already recorded."),
    ]

    def _receive(self, connector, data):
        """Store and apply one notification; returns (record, is_duplicate)."""
        if not isinstance(data, dict):
            raise UserError(_("A notification is a JSON object."))
        event_id = str(data.get("event_id") or "")
        event_type = data.get("type")
        if not event_id or event_type not in dict(NOTIFICATION_TYPES):
            raise UserError(_("A notification needs an event_id and a known type."))
        existing = self.search([("connector_id", "=", connector.id), ("event_id", "=", event_id)])
        if existing:
            return existing, True
        project = self.env["guarantee.project"].search(
            [("company_id", "=", connector.company_id.id), ("name", "=", data.get("project"))],
            limit=1,
        )
        notification = self.create({
            "connector_id": connector.id,
            "event_id": event_id,
            "event_type": event_type,
            "project_id": project.id,
            "payload": json.dumps(data, ensure_ascii=False),
        })
        try:
            with self.env.cr.savepoint():
                if not project:
                    raise UserError(_("Unknown project %(project)s.", project=data.get("project")))
                getattr(notification, "_apply_" + event_type)(project, data)
        except (UserError, ValueError, TypeError) as error:
            notification.write({"state": "error", "error": str(error)})
        return notification, False

    def _apply_loan_released(self, project, data):
        project.action_activate(release_date=data["date"], amount=float(data["amount"]))

    def _apply_repayment(self, project, data):
        project._record_repayment(
            float(data["amount"]),
            _("Bank notice %(event)s from %(connector)s", event=self.event_id,
              connector=self.connector_id.name),
        )

    def _apply_overdue(self, project, data):
        days = int(data.get("days_overdue") or 0)
        self.env["guarantee.risk.signal"].create({
            "project_id": project.id,
            "date": data.get("date") or fields.Date.context_today(self),
            "kind": "overdue",
            "severity": "high" if days > 90 else "medium" if days > 30 else "low",
            "source": self.connector_id.name,
            "description": _("The bank reports %(project)s overdue by %(days)s days (event "
                             "%(event)s).", project=project.name, days=days, event=self.event_id),
            "days_overdue": days,
        })
