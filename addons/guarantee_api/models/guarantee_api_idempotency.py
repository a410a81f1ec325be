import json

from odoo import api, fields, models


class GuaranteeApiIdempotency(models.Model):
    """The first answer to a write, kept under the partner's idempotency key: the same key
    with the same body gets this answer again, with another body a 409."""

    _name = "guarantee.api.idempotency"
    _description = "Partner API Idempotency Key"
    _order = "id desc"
    _rec_name = "idempotency_key"

    key_id = fields.Many2one("guarantee.api.key", required=True, index=True, readonly=True,
                             ondelete="cascade")
    company_id = fields.Many2one(related="key_id.company_id", store=True)
    idempotency_key = fields.Char(required=True, readonly=True)
    request_hash = fields.Char(required=True, readonly=True)
    status_code = fields.Integer(readonly=True)
    response = fields.Text(readonly=True)

    _sql_constraints = [
        ("key_unique", "unique(key_id, idempotency_key)",
         "This idempotency key was already used."),
    ]

    @api.model
    def _claim(self, key, idempotency_key, request_hash):
        """Claim ``idempotency_key`` for this request: (record, is_new).

        ``ON CONFLICT DO NOTHING`` waits for a concurrent request holding the same key to
        finish, so two simultaneous calls cannot both write.
        """
        self.env.cr.execute(
            """
            INSERT INTO guarantee_api_idempotency
                (key_id, company_id, idempotency_key, request_hash,
                 create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (key_id, idempotency_key) DO NOTHING
            RETURNING id
            """,
            (key.id, key.company_id.id, idempotency_key, request_hash, self.env.uid,
             self.env.uid),
        )
        row = self.env.cr.fetchone()
        if row:
            return self.browse(row[0]), True
        return self.search([("key_id", "=", key.id),
                            ("idempotency_key", "=", idempotency_key)], limit=1), False

    def _store(self, status_code, answer):
        self.write({"status_code": status_code,
                    "response": json.dumps(answer, ensure_ascii=False)})

    def _answer(self):
        return self.status_code, json.loads(self.response or "{}")

    @api.autovacuum
    def _gc_old_keys(self):
        """An idempotency key protects against retries for 30 days."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=30)
        self.search([("create_date", "<", limit)]).unlink()
