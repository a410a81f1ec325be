import json

from odoo import _, api, fields, models

from odoo.addons.guarantee_platform.tools import inbound
from odoo.addons.guarantee_platform.tools.inbound import InboundMalformed, InboundRefused

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
# the most days overdue a notice may report (a century: any loan, and dates stay computable)
MAX_DAYS = 36500


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
        if not isinstance(event_type, str) or event_type not in dict(NOTIFICATION_TYPES):
            raise InboundMalformed(_("A notification needs a known type."))
        missing = [key for key in REQUIRED_KEYS[event_type] if data.get(key) in (None, "")]
        if missing:
            raise InboundMalformed(_("The %(type)s notification lacks: %(keys)s.",
                                     type=event_type, keys=", ".join(missing)))
        values = self._check_values(data)
        project = self.env["guarantee.project"].search(
            self._project_domain(connector, values["project"]), limit=1)
        if not project:
            # the same answer for an unknown project and for another creditor's project
            raise InboundRefused(_("No project %(project)s of this bank.",
                                   project=values["project"]))
        notification = self.create({
            "connector_id": connector.id,
            "event_id": event.event_id,
            "event_type": event_type,
            "project_id": project.id,
            "payload": json.dumps(data, ensure_ascii=False),
        })
        getattr(notification, "_apply_" + event_type)(project, values)
        return {"notification": notification.id}

    @api.model
    def _project_domain(self, connector, number):
        """The project a notice of ``connector`` may concern: one whose creditor its bank is."""
        return [
            ("company_id", "=", connector.company_id.id), ("name", "=", number),
            ("creditor_id", "=", connector.bank_partner_id.id or -1),
        ]

    def _check_values(self, data):
        """The notice's values, checked: the project number, a date between 1900 and 2199, an
        amount from 0 to the configured maximum (System Parameter
        ``guarantee_platform.inbound_max_amount``) and whole days overdue from 0 to MAX_DAYS."""
        number = data.get("project")
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if not isinstance(number, str) or len(number) > 64:
            raise InboundMalformed(_("The project must be a project number."))
        values = {"project": number, "date": None, "amount": None, "days_overdue": None}
        if data.get("date") not in (None, ""):
            values["date"] = inbound.parse_date(data["date"])
            if not values["date"]:
                raise InboundMalformed(_(
                    "The date %(date)s is not a date (YYYY-MM-DD) between 1900 and 2199.",
                    date=data["date"]))
        if data.get("amount") not in (None, ""):
            maximum = inbound.max_amount(self.env)
            values["amount"] = inbound.parse_number(data["amount"])
            if values["amount"] is None or not 0 <= values["amount"] <= maximum:
                raise InboundMalformed(_(
                    "The amount %(value)s is not a number from 0 to %(max)s.",
                    value=data["amount"], max=maximum))
        if data.get("days_overdue") not in (None, ""):
            values["days_overdue"] = inbound.parse_integer(data["days_overdue"])
            if values["days_overdue"] is None or not 0 <= values["days_overdue"] <= MAX_DAYS:
                raise InboundMalformed(_(
                    "The days overdue %(value)s are not a whole number from 0 to %(max)s.",
                    value=data["days_overdue"], max=MAX_DAYS))
        return values

    def _apply_loan_released(self, project, values):
        project.action_activate(release_date=values["date"], amount=values["amount"])

    def _apply_repayment(self, project, values):
        project._record_repayment(
            values["amount"],
            _("Bank notice %(event)s from %(connector)s", event=self.event_id,
              connector=self.connector_id.name),
            values["date"],
        )

    def _apply_overdue(self, project, values):
        days = values["days_overdue"]
        self.env["guarantee.risk.signal"].create({
            "project_id": project.id,
            "date": values["date"],
            "kind": "overdue",
            "severity": "high" if days > 90 else "medium" if days > 30 else "low",
            "source": self.connector_id.name,
            "description": _("The bank reports %(project)s overdue by %(days)s days (event "
                             "%(event)s).", project=project.name, days=days, event=self.event_id),
            "days_overdue": days,
        })
        # the overdue instalment is collected through the ladder until the bank reports it paid
        due = fields.Date.subtract(values["date"], days=days)
        self.env["guarantee.collection"]._open_for(
            project, "bank", "%s:%s" % (project.id, due), values["amount"] or 0.0, due
        )
