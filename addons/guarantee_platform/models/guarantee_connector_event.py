import json

from odoo import api, fields, models

EVENT_STATES = [
    ("received", "Received"),
    ("done", "Processed"),
    ("error", "Error"),
    ("rejected", "Refused"),
    ("failed", "Failed, awaiting a new delivery"),
]


class GuaranteeConnectorEvent(models.Model):
    """An event pushed to us by an outside system, recorded once per connector and event id.

    The unique key is what refuses a replayed call inside the signature's time window; every
    authenticated call leaves one, also when its body was malformed or refused. A request
    carrying an idempotency key is recorded the same way (the key as event id, under the
    credential it came with), with a fingerprint of the request and the answer given, so that
    a retry gets the same answer and another request under the same key can be told apart.
    """

    _name = "guarantee.connector.event"
    _description = "Inbound Connector Event"
    _order = "id desc"
    _rec_name = "event_id"

    res_model = fields.Char(string="Connector Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Connector", model_field="res_model", required=True, index=True, readonly=True
    )
    connector_name = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    event_id = fields.Char(string="Event ID", required=True, readonly=True)
    state = fields.Selection(EVENT_STATES, required=True, default="received", index=True,
                             readonly=True)
    payload = fields.Text(readonly=True)
    message = fields.Text(readonly=True)
    request_hash = fields.Char(
        string="Request Fingerprint", readonly=True,
        help="SHA-256 of the request first recorded under this id.",
    )
    status_code = fields.Integer(string="HTTP Status", readonly=True)
    response = fields.Text(string="Stored Answer", readonly=True)

    _sql_constraints = [
        ("event_unique", "unique(res_model, res_id, event_id)",
         "This event of this connector is already recorded."),
    ]

    @api.model
    def _record_once(self, connector, event_id, payload, request_hash=None):
        """Insert the event unless the connector already has it; (event, is_new).

        ``ON CONFLICT DO NOTHING`` keeps two simultaneous deliveries of one event to one
        insert without an error in the transaction.
        """
        self.env.cr.execute(
            """
            INSERT INTO guarantee_connector_event
                (res_model, res_id, connector_name, company_id, event_id, state, payload,
                 request_hash, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, 'received', %s, %s, %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (res_model, res_id, event_id) DO NOTHING
            RETURNING id
            """,
            (connector._name, connector.id, connector.display_name,
             connector.company_id.id or None, event_id, payload, request_hash, self.env.uid,
             self.env.uid),
        )
        row = self.env.cr.fetchone()
        if row:
            return self.browse(row[0]), True
        return self.search([("res_model", "=", connector._name), ("res_id", "=", connector.id),
                            ("event_id", "=", event_id)], limit=1), False

    def _store_answer(self, status_code, answer):
        """Keep the answer given to this event's request (``answer``: a JSON-able dict)."""
        self.write({"state": "done", "status_code": status_code,
                    "response": json.dumps(answer, ensure_ascii=False)})

    def _stored_answer(self):
        """(HTTP status, answer) kept by ``_store_answer``."""
        return self.status_code, json.loads(self.response or "{}")
