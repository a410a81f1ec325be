import hashlib
import hmac
import json
import time

from odoo.tests import HttpCase, tagged

from .common import GuaranteeAccountingCase

SECRET = "notify-secret-123"


@tagged("post_install", "-at_install")
class TestBankNotifications(GuaranteeAccountingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connector = cls.env["guarantee.bank.connector"].create({
            "name": "工商银行通知",
            "protocol": "rest",
            "url": "http://127.0.0.1:9",
            "account_number": "1202020009000123456",
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "notification_secret": SECRET,
        })

    def _post(self, payload, secret=SECRET, timestamp=None):
        body = json.dumps(payload).encode()
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                             hashlib.sha256).hexdigest()
        return self.url_open(
            "/guarantee/bank/notify/%s" % self.connector.id,
            data=body,
            headers={"Content-Type": "application/json", "X-Guarantee-Timestamp": timestamp,
                     "X-Guarantee-Signature": signature},
        )

    def test_loan_released_activates_the_project(self):
        project = self._project_in("contracted")
        response = self._post({"event_id": "E-REL-1", "type": "loan_released",
                               "project": project.name, "date": "2026-02-01",
                               "amount": 900000})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["result"], "ok")
        self.assertEqual(project.state, "active")
        self.assertEqual(project.loan_amount_released, 900000)
        self.assertEqual(str(project.loan_release_date), "2026-02-01")

    def test_repayment_reduces_the_balance_and_a_duplicate_changes_nothing(self):
        project = self._project_in("active", released=800000.0)
        payload = {"event_id": "E-REP-1", "type": "repayment", "project": project.name,
                   "amount": 200000}
        self.assertEqual(self._post(payload).json()["result"], "ok")
        self.assertEqual(project.balance, 600000)
        response = self._post(payload)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["result"], "duplicate")
        self.assertEqual(project.principal_repaid, 200000, "no second effect")
        self.assertEqual(self.env["guarantee.bank.notification"].search_count(
            [("event_id", "=", "E-REP-1")]), 1)

    def test_overdue_raises_a_risk_signal(self):
        project = self._project_in("active")
        self._post({"event_id": "E-OD-1", "type": "overdue", "project": project.name,
                    "days_overdue": 45, "date": "2026-08-15"})
        signal = self.env["guarantee.risk.signal"].search([("project_id", "=", project.id)])
        self.assertEqual(signal.kind, "overdue")
        self.assertEqual(signal.severity, "medium")
        self.assertEqual(signal.days_overdue, 45)

    def test_bad_signature_is_rejected(self):
        project = self._project_in("active")
        response = self._post({"event_id": "E-BAD", "type": "repayment",
                               "project": project.name, "amount": 1}, secret="wrong")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(project.principal_repaid, 0)
        self.assertFalse(self.env["guarantee.bank.notification"].search(
            [("event_id", "=", "E-BAD")]))

    def test_stale_timestamp_is_rejected(self):
        project = self._project_in("active")
        response = self._post({"event_id": "E-OLD", "type": "repayment",
                               "project": project.name, "amount": 1},
                              timestamp=time.time() - 600)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(project.principal_repaid, 0)

    def test_unknown_project_is_stored_as_an_error(self):
        response = self._post({"event_id": "E-UNK", "type": "repayment", "project": "DB-NONE",
                               "amount": 1})
        self.assertEqual(response.json()["result"], "error")
        notification = self.env["guarantee.bank.notification"].search([("event_id", "=", "E-UNK")])
        self.assertEqual(notification.state, "error")
