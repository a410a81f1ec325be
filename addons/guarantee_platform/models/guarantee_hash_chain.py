import json
import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools.hash_chain import GENESIS, link_hash, payload_digest, payload_text

_lt = LazyTranslate(__name__)
# what the list shows for each sealed event (the event itself is a code)
EVENT_LABELS = {
    "audit": _lt("Audit record"),
    "contract_signed": _lt("Contract signed"),
    "entry_posted": _lt("Entry posted"),
    "review_approved": _lt("Approval given"),
    "review_rejected": _lt("Approval refused"),
}

_logger = logging.getLogger(__name__)

VERIFY_BATCH = 2000
PENDING_KEY = "guarantee_hash_chain_pending"
LINK_AFTER_COMMIT_KEY = "guarantee_hash_chain_link"


class GuaranteeHashChain(models.Model):
    """不可篡改的担保权属证明: an append-only chain of SHA-256 links.

    Each link holds the digest of a record's payload as it was sealed (a signed contract, a
    tier review decision, a posted guarantee entry, an audit log record) and a hash covering
    the previous link. Nobody may write or delete a link; ``_verify`` recomputes the chain and
    the payloads of the live records and names the first link that does not match.

    A transaction writes its links with their payload digests; they are chained (previous
    hash, hash, position) right after its commit, by a short transaction of their own that
    takes the head of the chain. Chaining inside the transaction would lock the head there:
    under PostgreSQL's repeatable read, two transactions sealing at the same time then fail
    with a serialization error, and every audited write seals.
    """

    _name = "guarantee.hash.chain"
    _description = "Integrity Chain Link"
    _order = "position, id"
    _rec_name = "hash"

    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True, index=True
    )
    event = fields.Char(required=True, readonly=True)
    event_label = fields.Char(string="Event Name", compute="_compute_event_label")
    payload_hash = fields.Char(string="Payload SHA-256", required=True, readonly=True)
    payload = fields.Text(
        readonly=True,
        help="The sealed values, kept for records that their own workflow may delete "
        "(a restarted approval deletes its reviews).",
    )
    previous_hash = fields.Char(string="Previous Hash", readonly=True)
    hash = fields.Char(string="Hash", readonly=True, index=True)
    position = fields.Integer(
        readonly=True, copy=False, help="Place in the chain; empty until chained."
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.uid)

    _sql_constraints = [
        ("previous_hash_unique", "UNIQUE(previous_hash)", "The chain cannot fork."),
    ]

    def init(self):
        # the head of the chain: one row, locked by each chaining, so that two of them never
        # link to the same previous hash; links chained before positions existed get theirs
        # in the order they were chained (their ids)
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS guarantee_hash_chain_head (
                id integer PRIMARY KEY CHECK (id = 1), hash varchar NOT NULL
            );
            ALTER TABLE guarantee_hash_chain_head
                ADD COLUMN IF NOT EXISTS position integer NOT NULL DEFAULT 0;
            INSERT INTO guarantee_hash_chain_head (id, hash) VALUES (1, %s)
            ON CONFLICT (id) DO NOTHING;
            UPDATE guarantee_hash_chain link SET position = numbered.position
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS position
                      FROM guarantee_hash_chain WHERE hash IS NOT NULL) numbered
             WHERE link.id = numbered.id AND link.position IS NULL;
            UPDATE guarantee_hash_chain_head
               SET position = (SELECT COALESCE(max(position), 0) FROM guarantee_hash_chain)
             WHERE id = 1 AND position = 0;
            CREATE UNIQUE INDEX IF NOT EXISTS guarantee_hash_chain_position_unique
                ON guarantee_hash_chain (position) WHERE position IS NOT NULL;
        """, [GENESIS])

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("_guarantee_chain_append"):
            raise UserError(_("Links of the integrity chain are only added by the system."))
        return super().create(vals_list)

    def write(self, vals):
        self._refuse(_("The integrity chain is append-only: a link cannot be changed."))
        return super().write(vals)

    def unlink(self):
        self._refuse(_("The integrity chain is append-only: a link cannot be deleted."))
        return super().unlink()

    @staticmethod
    def _refuse(message):
        """Nobody, not even the superuser, changes or deletes a link."""
        raise UserError(message)

    @api.depends("event")
    def _compute_event_label(self):
        for link in self:
            label = EVENT_LABELS.get(link.event)
            link.event_label = label._translate(link.env.lang) if label else link.event

    @api.model
    def _seal(self, records, event):
        """Seal ``records`` at the end of the transaction (each must define
        ``_guarantee_chain_payload``): the payload is what is committed, and the head of the
        chain stays locked only for the last moment of the transaction."""
        if not records:
            return
        pending = self.env.cr.precommit.data.setdefault(PENDING_KEY, [])
        if not pending:
            self.env.cr.precommit.add(self._flush_pending)
        pending.extend((records._name, record_id, event) for record_id in records.ids)

    def _flush_pending(self):
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, [])
        existing = set()
        for res_model in {res_model for res_model, _id, _event in pending}:
            ids = [res_id for model, res_id, _event in pending if model == res_model]
            existing.update(
                (res_model, res_id) for res_id in self.env[res_model].browse(ids).exists().ids
            )
        self._append([
            (self.env[res_model].sudo().browse(res_id), event)
            for res_model, res_id, event in dict.fromkeys(pending)
            if (res_model, res_id) in existing
        ])

    @api.model
    def _append(self, sealed):
        """Write one link per ``(record, event)`` of ``sealed`` with its payload digest; they
        are chained after the commit (``_link_pending``)."""
        if not sealed:
            return self.browse()
        vals_list = []
        for record, event in sealed:
            payload = record._guarantee_chain_payload()
            kept = getattr(record, "_guarantee_chain_deletable", False)
            vals_list.append({
                "res_model": record._name,
                "res_id": record.id,
                "event": event,
                "payload_hash": payload_digest(payload),
                "payload": payload_text(payload) if kept else False,
            })
        links = self.sudo().with_context(_guarantee_chain_append=True).create(vals_list)
        links.flush_recordset()
        if LINK_AFTER_COMMIT_KEY not in self.env.cr.postcommit.data:
            self.env.cr.postcommit.data[LINK_AFTER_COMMIT_KEY] = True
            self.env.cr.postcommit.add(self._link_after_commit)
        return links

    def _link_after_commit(self):
        """Chain what the committed transaction wrote, in a transaction of its own that reads
        committed rows (so it waits for the head instead of failing). Links left unchained
        by a failure here are chained by the next commit or the next verification."""
        try:
            with self.pool.cursor() as cr:
                if not self.pool.in_test_mode():
                    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                self.with_env(self.env(cr=cr))._link_pending()
        except psycopg2.Error:
            _logger.warning("The integrity chain will be linked at the next commit.",
                            exc_info=True)

    @api.model
    def _link_pending(self):
        """Chain every link not chained yet after the head, in the order they were written."""
        cr = self.env.cr
        self.flush_model()
        cr.execute("SELECT hash, position FROM guarantee_hash_chain_head WHERE id = 1 FOR UPDATE")
        previous, position = cr.fetchone()
        cr.execute("""
            SELECT id, res_model, res_id, event, payload_hash FROM guarantee_hash_chain
             WHERE hash IS NULL ORDER BY id FOR UPDATE
        """)
        rows = cr.fetchall()
        if not rows:
            return 0
        values = []
        for link_id, res_model, res_id, event, payload_hash in rows:
            current = link_hash(previous, res_model, res_id, event, payload_hash)
            position += 1
            values.append((link_id, previous, current, position))
            previous = current
        cr.execute_values("""
            UPDATE guarantee_hash_chain link
               SET previous_hash = chained.previous_hash, hash = chained.hash,
                   position = chained.position
              FROM (VALUES %s) AS chained (id, previous_hash, hash, position)
             WHERE link.id = chained.id
        """, values, template="(%s, %s, %s, %s::integer)", page_size=1000)
        cr.execute(
            "UPDATE guarantee_hash_chain_head SET hash = %s, position = %s WHERE id = 1",
            [previous, position],
        )
        self.invalidate_model(["previous_hash", "hash", "position"])
        return len(values)

    @api.model
    def _verify(self):
        """Walk the whole chain; return ``(links intact, first broken link, reason)``."""
        checked, broken = self._verify_all()
        link, reason = broken[0] if broken else (self.browse(), "")
        return checked, link, reason

    @api.model
    def _verify_all(self):
        """Walk the whole chain; return ``(links intact, [(broken link, reason), …])``: every
        broken link, in chain order, not only the first (an auditor needs the whole list)."""
        self.env.cr.flush()  # seal what this transaction did first
        self._link_pending()
        previous = GENESIS
        checked = 0
        broken = []
        last_position = 0
        chain = self.sudo()
        while True:
            links = chain.search(
                [("position", ">", last_position)], limit=VERIFY_BATCH, order="position"
            )
            if not links:
                return checked, broken
            records = links._sealed_records()
            for link in links:
                record = records.get((link.res_model, link.res_id))
                reason = link._broken_reason(previous, record)
                if reason:
                    broken.append((link, reason))
                else:
                    checked += 1
                previous = link.hash
            last_position = links[-1].position
            self.env.invalidate_all()

    def _sealed_records(self):
        """The live records of these links, read one query per model (prefetched together)."""
        records = {}
        for res_model in set(self.mapped("res_model")):
            if res_model not in self.env or not hasattr(
                self.env[res_model], "_guarantee_chain_payload"
            ):
                continue
            ids = self.filtered(lambda link, m=res_model: link.res_model == m).mapped("res_id")
            for record in self.env[res_model].sudo().browse(ids).exists():
                records[(res_model, record.id)] = record
        return records

    def _broken_reason(self, previous, record):
        """Why this link breaks the chain, or an empty string (``record``: the live record,
        None when it is gone or its model is not installed)."""
        self.ensure_one()
        if self.previous_hash != previous:
            return _("it does not follow the previous link (a link was removed or inserted)")
        if link_hash(self.previous_hash, self.res_model, self.res_id, self.event,
                     self.payload_hash) != self.hash:
            return _("the link itself was altered")
        if self.res_model not in self.env or not hasattr(
            self.env[self.res_model], "_guarantee_chain_payload"
        ):
            return _("the model %(model)s is no longer installed", model=self.res_model)
        if not record and self.payload:
            if payload_digest(json.loads(self.payload)) != self.payload_hash:
                return _("the kept copy of the deleted record was altered")
            return ""
        model = self.env[self.res_model]
        if not record and hasattr(model, "_guarantee_chain_purged") and (
            model._guarantee_chain_purged(self.date)
        ):
            return ""
        if not record:
            return _("the sealed record %(model)s,%(id)s was deleted",
                     model=self.res_model, id=self.res_id)
        if payload_digest(record._guarantee_chain_payload()) != self.payload_hash:
            return _("the sealed record %(record)s was changed after it was sealed",
                     record=record.display_name)
        return ""

    @api.model
    def action_verify(self):
        """The button: verify the chain and tell the user the result, every broken link."""
        checked, broken = self._verify_all()
        if broken:
            message = _("The integrity chain is broken at %(count)s links (%(checked)s intact): "
                        "%(links)s",
                        count=len(broken), checked=checked,
                        links="; ".join(link._broken_label(reason) for link, reason in broken))
        else:
            message = _("The integrity chain is intact: %(checked)s links verified.",
                        checked=checked)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Integrity chain"),
                "message": message,
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
            },
        }

    def _broken_label(self, reason):
        self.ensure_one()
        return _("link %(link)s (%(model)s,%(id)s, %(event)s): %(reason)s",
                 link=self.id, model=self.res_model, id=self.res_id, event=self.event,
                 reason=reason)
