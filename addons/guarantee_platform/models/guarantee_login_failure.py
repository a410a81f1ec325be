import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessDenied
from odoo.http import request

_logger = logging.getLogger(__name__)


def login_delay(failures, free_failures, max_delay):
    """Seconds a login must wait after ``failures`` wrong passwords in a row: none before
    ``free_failures``, then 30, 60, 120… seconds, at most ``max_delay``."""
    if not free_failures or failures < free_failures:
        return 0
    return min(30 * 2 ** min(failures - free_failures, 20), max_delay)


class GuaranteeLoginFailure(models.Model):
    """Wrong passwords counted per login in the database, whatever worker or address they come
    from, with a delay that grows with each failure (DESIGN: login and session policy).

    Odoo counts failures per address in each worker's memory: distributed guessing of one
    password never slows down, while one office behind a single address locks all its staff.
    Here the key is the login: guessing from many addresses slows down like guessing from one,
    and another colleague's login is unaffected. The delay is capped
    (``base.login_cooldown_duration``), so nobody can lock a login for good either.
    """

    _name = "guarantee.login.failure"
    _description = "Login Failures"
    _log_access = False

    login = fields.Char(required=True, readonly=True, index=True)
    failures = fields.Integer(readonly=True)
    last_failure = fields.Datetime(readonly=True)

    _sql_constraints = [("login_unique", "UNIQUE(login)", "One counter per login.")]

    def _delay_left(self, login):
        """Seconds ``login`` still has to wait, 0 when it may try."""
        self.env.cr.execute(
            "SELECT failures, last_failure FROM guarantee_login_failure WHERE login = %s",
            [login],
        )
        row = self.env.cr.fetchone()
        if not row:
            return 0
        params = self.env["ir.config_parameter"].sudo()
        delay = login_delay(row[0], int(params.get_param("base.login_cooldown_after") or 0),
                            int(params.get_param("base.login_cooldown_duration") or 0))
        waited = (fields.Datetime.now() - row[1]).total_seconds()
        return max(delay - waited, 0)

    def _record(self, login, failed):
        """Count a failure (or clear the counter after a success), atomically for concurrent
        workers; called in a transaction of its own, after the login's."""
        cr = self.env.cr
        if failed:
            cr.execute(
                "INSERT INTO guarantee_login_failure (login, failures, last_failure) "
                "VALUES (%s, 1, %s) ON CONFLICT (login) DO UPDATE SET "
                "failures = guarantee_login_failure.failures + 1, "
                "last_failure = EXCLUDED.last_failure",
                [login, fields.Datetime.now()],
            )
        else:
            cr.execute("DELETE FROM guarantee_login_failure WHERE login = %s", [login])


class ResUsers(models.Model):
    _inherit = "res.users"

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        """Per login and in the database, instead of Odoo's per address and per worker."""
        login = (credential.get("login") or "").strip().lower()
        if not login or not request:
            return super()._login(db, credential, user_agent_env)
        with cls.pool.cursor() as cr:
            counter = api.Environment(cr, SUPERUSER_ID, {})["guarantee.login.failure"]
            if counter._delay_left(login):
                _logger.warning("Login attempt for %r ignored: too many failures in a row.",
                                login)
                raise AccessDenied(
                    _("Too many login failures, please wait a bit before trying again.")
                )
        try:
            result = super()._login(db, credential, user_agent_env)
        except AccessDenied:
            cls._guarantee_record_login(login, failed=True)
            raise
        cls._guarantee_record_login(login, failed=False)
        return result

    @classmethod
    def _guarantee_record_login(cls, login, failed):
        with cls.pool.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["guarantee.login.failure"]._record(
                login, failed)

    def _on_login_cooldown(self, failures, previous):
        """Odoo's lock per address is replaced by the delay per login (see above): one office
        behind one address must not lock all its staff."""
        return False
