import datetime

from odoo import api, fields, models


class GuaranteeApiRateCounter(models.Model):
    """A key's calls in the current and in the previous minute: its rate limit.

    The count does not depend on any request's transaction committing: each call takes the
    key's row in a short READ COMMITTED transaction of its own (``UPDATE`` under ``SELECT …
    FOR UPDATE``, committed at once), so calls arriving together on every worker wait a few
    milliseconds for each other on the row and each sees the count the others left (Odoo's
    REPEATABLE READ would fail them instead).
    """

    _name = "guarantee.api.rate.counter"
    _description = "Partner API Rate Counter"
    _log_access = False

    key_id = fields.Many2one("guarantee.api.key", required=True, readonly=True,
                             ondelete="cascade")
    window_start = fields.Datetime(string="Minute", required=True, readonly=True)
    calls = fields.Integer(string="Calls in the Minute", readonly=True)
    previous_calls = fields.Integer(string="Calls in the Minute Before", readonly=True)

    _sql_constraints = [
        ("key_unique", "unique(key_id)", "A key has one rate counter."),
    ]

    @api.model
    def _admit(self, key):
        """True when ``key`` may make one more call now; the call is then counted.

        A sliding minute: the calls of the previous minute count in proportion to the part of
        it still within the last 60 seconds. A refused call is not counted.
        """
        if self.env.registry.in_test_mode():
            # a test's requests share its transaction, one at a time: count in it (a cursor of
            # its own would wait for the request's, held by another thread of the same test)
            return self._admit_on(self.env.cr, key)
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return self._admit_on(cr, key)

    @api.model
    def _admit_on(self, cr, key):
        cr.execute(
            "INSERT INTO guarantee_api_rate_counter (key_id, window_start, calls, "
            "previous_calls) VALUES (%s, now() at time zone 'UTC', 0, 0) "
            "ON CONFLICT (key_id) DO NOTHING", [key.id])
        cr.execute(
            "SELECT window_start, calls, previous_calls FROM guarantee_api_rate_counter "
            "WHERE key_id = %s FOR UPDATE", [key.id])
        window_start, calls, previous = cr.fetchone()
        cr.execute("SELECT clock_timestamp() at time zone 'UTC'")
        now = cr.fetchone()[0]
        minute = now.replace(second=0, microsecond=0)
        if window_start != minute:
            one_before = window_start == minute - datetime.timedelta(minutes=1)
            previous, calls = (calls if one_before else 0), 0
        elapsed = (now - minute).total_seconds() / 60
        admitted = previous * (1 - elapsed) + calls + 1 <= key.rate_limit
        cr.execute(
            "UPDATE guarantee_api_rate_counter SET window_start = %s, calls = %s, "
            "previous_calls = %s WHERE key_id = %s",
            [minute, calls + admitted, previous, key.id])
        return admitted
