import json

from odoo import _, fields, models

from odoo.addons.guarantee_base.tools.inbound import InboundMalformed, InboundRefused

NOTIFICATION_TYPES = [
    ("loan_released", "Loan Released"),
    ("repayment", "Repayment"),
    ("overdue", "Overdue"),
]
# what each notification type must carry; a body without it is answered 400 and recorded
REQUIRED_KEYS = {
    "loan_released": ("project", "date", "amount"),
    "repayment": ("project", "amount"),
    "overdue": ("project", "date", "days_overdue"),
}


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

    def _receive(self, connector, data, event):
        """Check, store and apply one signed notification (the handler of the inbound
        verifier, which records the event and undoes everything here on a refusal)."""
        event_type = data.get("type")
        if event_type not in dict(NOTIFICATION_TYPES):
            raise InboundMalformed(_("A notification needs a known type."))
        missing = [key for key in REQUIRED_KEYS[event_type] if data.get(key) in (None, "")]
        if missing:
            raise InboundMalformed(_("The %(type)s notification lacks: %(keys)s.",
                                     type=event_type, keys=", ".join(missing)))
        self._check_values(data)
        project = self.env["guarantee.project"].search([
            ("company_id", "=", connector.company_id.id), ("name", "=", str(data["project"])),
            ("creditor_id", "=", connector.bank_partner_id.id or -1),
        ], limit=1)
        if not project:
            # the same answer for an unknown project and for another creditor's project
            raise InboundRefused(_("No project %(project)s of this bank.",
                                   project=data["project"]))
        notification = self.create({
            "connector_id": connector.id,
            "event_id": event.event_id,
            "event_type": event_type,
            "project_id": project.id,
            "payload": json.dumps(data, ensure_ascii=False),
        })
        getattr(notification, "_apply_" + event_type)(project, data)
        return {"notification": notification.id}

    @staticmethod
    def _check_values(data):
        if data.get("date") not in (None, ""):
            try:
                fields.Date.to_date(data["date"])
            except (TypeError, ValueError):
                raise InboundMalformed(_("The date %(date)s is not a date (YYYY-MM-DD).",
                                         date=data["date"])) from None
        for key in ("amount", "days_overdue"):
            if data.get(key) in (None, ""):
                continue
            try:
                value = float(data[key])
            except (TypeError, ValueError):
                raise InboundMalformed(_("The %(key)s %(value)s is not a number.",
                                         key=key, value=data[key])) from None
            if value < 0:
                raise InboundMalformed(_("The %(key)s cannot be negative.", key=key))

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
        # the overdue instalment is collected through the ladder until the bank reports it paid
        due = fields.Date.subtract(fields.Date.to_date(data["date"]), days=days)
        self.env["guarantee.collection"]._open_for(
            project, "bank", "%s:%s" % (project.id, due), float(data.get("amount") or 0.0), due
        )
