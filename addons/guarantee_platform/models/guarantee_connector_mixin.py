import functools
import hashlib
import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from ..tools import connectors, inbound

_logger = logging.getLogger(__name__)

# The one rule for credentials: a connector field declared ``secret=True`` is readable and
# writable by system administrators only (DESIGN: "no secrets" for the guarantee
# administrator), whatever the connector and whatever ``groups`` its declaration says.
SECRET_GROUP = "base.group_system"

# The one answer to every call that has not proven who it is: unknown or archived connector,
# bad or stale signature. Nothing in it tells which check failed.
UNAUTHENTICATED = (401, {"result": "invalid signature"})


class GuaranteeConnectorMixin(models.AbstractModel):
    """What every connector record shares: name, company, protocol, address and API key (read
    with sudo, never shown to non-admins), time-out, retries, the call log, the adapter
    configuration, and the inbound verifier for what the outside system pushes to us."""

    _name = "guarantee.connector.mixin"
    _description = "Connector (shared configuration)"
    _order = "sequence, id"

    _connector_kind = None  # key of the adapters registry: "bank", "esign", "data", "sms"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    protocol = fields.Selection([("rest", "REST / JSON")], required=True, default="rest")
    base_url = fields.Char(string="Base URL", required=True)
    api_key = fields.Char(string="API Key", secret=True, copy=False)
    timeout = fields.Float(string="Timeout (s)", default=10.0)
    max_retries = fields.Integer(
        default=2, help="Further attempts after a time-out or a 5xx, only for calls that are "
        "safe to repeat (reads, or writes carrying an idempotency key)."
    )
    backoff = fields.Float(string="Backoff (s)", default=1.0,
                           help="Wait before the first retry; doubled at each next one.")
    call_log_ids = fields.One2many(
        "guarantee.connector.call.log", "res_id", string="Call Log",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    call_log_count = fields.Integer(compute="_compute_call_log_count")

    @api.model
    def _valid_field_parameter(self, field, name):
        return name == "secret" or super()._valid_field_parameter(field, name)

    def _setup_fields(self):
        """Make every field declared ``secret=True`` (here or in any extension) system-only."""
        super()._setup_fields()
        for field in self._fields.values():
            if getattr(field, "secret", False):
                field.groups = SECRET_GROUP

    def _compute_call_log_count(self):
        counts = dict(self.env["guarantee.connector.call.log"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            ["res_id"], ["__count"],
        ))
        for connector in self:
            connector.call_log_count = counts.get(connector.id, 0)

    @api.constrains("timeout", "max_retries", "backoff")
    def _check_connector_limits(self):
        for connector in self:
            if connector.timeout <= 0 or connector.max_retries < 0 or connector.backoff < 0:
                raise ValidationError(
                    _("The timeout must be positive; retries and backoff cannot be negative.")
                )

    def action_view_call_log(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Call Log"),
            "res_model": "guarantee.connector.call.log",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    # ------------------------------------------------------------------ outbound

    def _connector_url(self):
        return self.base_url

    def _connector_secret(self):
        """The credential the adapter sends (admin-only field, read with sudo)."""
        return self.api_key

    def _connector_username(self):
        return ""

    def _connector_config(self, **options):
        self.ensure_one()
        connector = self.sudo()
        return connectors.ConnectorConfig(
            url=self._connector_url() or "",
            username=connector._connector_username() or "",
            secret=connector._connector_secret() or "",
            timeout=self.timeout,
            max_retries=self.max_retries,
            backoff=self.backoff,
            options=options,
        )

    def _connector_adapter(self, record=None, **options):
        """The adapter of this record's protocol, logging every attempt into the call log
        (linked to ``record``, e.g. the contract being signed, when given)."""
        self.ensure_one()
        cls = connectors.get_adapter_class(self._connector_kind, self.protocol)
        log = self._connector_log
        if record:
            log = functools.partial(log, record_model=record._name, record_id=record.id)
        return cls(self._connector_config(**options), log=log)

    def _connector_log(self, message=False, **values):
        """One call-log line, its message without this connector's credentials."""
        self.ensure_one()
        return self.env["guarantee.connector.call.log"]._log(dict(
            values,
            message=message,
            res_model=self._name,
            res_id=self.id,
            connector_name=self.display_name,
            company_id=self.company_id.id,
        ), secrets=self._connector_credentials())

    def _connector_credentials(self):
        """What the call log and error messages must never show."""
        connector = self.sudo()
        return (connector._connector_secret(), connector._inbound_secret(),
                connector._connector_username())

    def _redact(self, text):
        """``text`` without this connector's credentials: the other side may echo them in an
        error, which would then reach the call log and the user."""
        return connectors.redact(text, self._connector_credentials())

    # ------------------------------------------------------------------ inbound

    def _inbound_secret(self):
        """The HMAC secret the outside system signs its calls with (admin-only field)."""
        return ""

    def _inbound_signature_ok(self, timestamp, body, signature):
        """True for an active connector and a correct, fresh signature."""
        if len(self) != 1 or not self.active:
            return False
        return inbound.signature_valid(self.sudo()._inbound_secret(), timestamp, body, signature)

    @api.model
    def _inbound_authenticate(self, candidates, timestamp, body, signature):
        """The first of ``candidates`` whose secret signed ``body``, or an empty recordset."""
        for connector in candidates:
            if connector._inbound_signature_ok(timestamp, body, signature):
                return connector
        return self.browse()

    def _inbound_handle(self, body, handler, event_key="event_id"):
        """Record and process one authenticated call; returns (HTTP status, JSON answer).

        Call this only after ``_inbound_signature_ok``. The event id of the body (or, when it
        has none, the SHA-256 of the body) is recorded once per connector: a replay answers
        ``duplicate`` with no second effect. ``handler(data, event)`` applies the event and
        returns a dict merged into the answer (``status_code`` in it sets the HTTP status);
        it raises InboundMalformed (400) or InboundRefused (403), a UserError for a business
        refusal (200, result ``error``), or a ConnectorError when calling back failed (503,
        the event stays open to a new delivery). A body that is not acceptable JSON (see
        ``inbound.load_object``) or whose event id is not a text of at most 128 characters
        is answered 400 and recorded under its SHA-256. Anything else the handler raises is
        a bug: logged with its traceback, answered 500, the event left open to a new delivery.
        Its writes are undone on any failure, the event record stays with the reason.
        """
        self.ensure_one()
        data, event_id, refusal = self._inbound_read(body, event_key)
        if not event_id:
            event_id = "sha256:" + hashlib.sha256(body).hexdigest()
        payload = body.decode("utf-8", "replace")[:100000].replace("\x00", "\ufffd")
        event, is_new = self.env["guarantee.connector.event"].sudo()._record_once(
            self, event_id, payload
        )
        if not is_new and event.state != "failed":
            self._inbound_log(event, "duplicate", 200)
            return 200, {"result": "duplicate"}
        if refusal:
            return self._inbound_fail(event, "error", 400, refusal)
        try:
            with self.env.cr.savepoint():
                answer = handler(data, event) or {}
        except inbound.InboundMalformed as error:
            return self._inbound_fail(event, "error", 400, str(error))
        except inbound.InboundRefused as error:
            return self._inbound_fail(event, "rejected", 403, str(error))
        except (UserError, ValidationError) as error:
            return self._inbound_fail(event, "error", 200, str(error))
        except connectors.ConnectorError as error:
            # a call back to the outside system failed: the event may be delivered again
            return self._inbound_fail(event, "failed", 503, str(error))
        except psycopg2.OperationalError as error:
            if error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise  # the request is replayed by Odoo
            return self._inbound_crash(event)
        except Exception:  # pylint: disable=broad-exception-caught  # a bug: answered, logged
            return self._inbound_crash(event)
        status = answer.pop("status_code", 200)
        event.write({"state": "done", "message": False})
        self._inbound_log(event, "ok", status)
        return status, dict({"result": "ok"}, **answer)

    def _inbound_read(self, body, event_key):
        """(data, event id, reason of refusal) of a body: the event id is empty when the body
        has none or is refused."""
        try:
            data = inbound.load_object(body)
        except inbound.InboundJsonError as error:
            return None, "", self.env._(error.message)
        event_id = data.get(event_key)
        if event_id in (None, ""):
            return data, "", False
        if isinstance(event_id, int) and not isinstance(event_id, bool):
            event_id = str(event_id)
        if not isinstance(event_id, str) or not inbound.text_valid(event_id, multiline=False):
            return data, "", _("The event id must be a text.")
        if len(event_id) > inbound.MAX_EVENT_ID:
            return data, "", _("The event id is longer than %(max)s characters.",
                               max=inbound.MAX_EVENT_ID)
        return data, event_id, False

    def _inbound_crash(self, event):
        _logger.exception("%s %s: event %s failed", self._name, self.id,
                          inbound.clean_text(event.event_id))
        return self._inbound_fail(event, "failed", 500,
                                  _("An unexpected error occurred; it was logged."))

    def _inbound_fail(self, event, state, status, message):
        event.write({"state": state, "message": message})
        if status < 500:
            _logger.info("%s %s: event %s refused (%s): %s", self._name, self.id,
                         inbound.clean_text(event.event_id), status, inbound.clean_text(message))
        self._inbound_log(event, "rejected" if state == "rejected" else "error", status, message)
        result = {"rejected": "refused", "failed": "retry later"}.get(state, "error")
        return status, {"result": result, "error": message}

    def _inbound_log(self, event, outcome, status, message=False):
        self._connector_log(
            direction="inbound", operation="inbound", event_id=event.event_id,
            status_code=status, outcome=outcome, message=message,
        )
