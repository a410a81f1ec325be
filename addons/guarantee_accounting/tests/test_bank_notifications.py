import json
import time
from types import SimpleNamespace

from odoo.tests import HttpCase, tagged

from odoo.addons.guarantee_platform.tools import inbound
from odoo.addons.guarantee_platform.tools.inbound import sign

from .common import GuaranteeAccountingCase

SECRET = "notify-secret-123"


@tagged("post_install", "-at_install")
class TestBankNotifications(GuaranteeAccountingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # activation re-checks the regulatory limits, which need the company's net assets
        cls.company.guarantee_net_assets = 1_000_000_000
        cls.connector = cls.env["guarantee.bank.connector"].create({
            "name": "工商银行通知",
            "protocol": "rest",
            "url": "http://127.0.0.1:9",
            "account_number": "1202020009000123456",
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "notification_secret": SECRET,
            "bank_partner_id": cls.bank.id,
        })

    def _post(self, payload, secret=SECRET, timestamp=None, connector=None):
        body = json.dumps(payload).encode()
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        response = self.url_open(
            "/guarantee/bank/notify/%s" % (connector or self.connector).id,
            data=body,
            headers={"Content-Type": "application/json", "X-Guarantee-Timestamp": timestamp,
                     "X-Guarantee-Signature": sign(secret, timestamp, body)},
        )
        self.env.invalidate_all()
        return response

    def _event(self, event_id):
        return self.env["guarantee.connector.event"].search([
            ("res_model", "=", "guarantee.bank.connector"), ("res_id", "=", self.connector.id),
            ("event_id", "=", event_id),
        ])

    def test_a_call_signed_as_the_fixed_vector_is_accepted_and_one_byte_off_is_not(self):
        """Body, secret, timestamp and signature written here, the signature computed once
        with openssl (not with this code): printf '%s' '1767225600.<body>' |
        openssl dgst -sha256 -hmac 'notify-secret-123'. The server's clock is put at that
        timestamp (2026-01-01 00:00:00 UTC) so that it lies in the window."""
        project = self._project_in("active", released=800000.0)
        project.name = "DB2026-VEC01"
        self.patch(inbound, "time", SimpleNamespace(time=lambda: 1767225600))
        body = b'{"event_id":"E-VEC-1","type":"repayment","project":"DB2026-VEC01","amount":200000}'
        signature = "bc1b0dc5a52eb867f737db057c21880c32402392c0625ec26f42642a29bbc039"

        def post(signature):
            response = self.url_open(
                "/guarantee/bank/notify/%s" % self.connector.id, data=body,
                headers={"Content-Type": "application/json",
                         "X-Guarantee-Timestamp": "1767225600",
                         "X-Guarantee-Signature": signature},
            )
            self.env.invalidate_all()
            return response

        forged = post(signature[:-1] + "0")
        self.assertEqual(forged.status_code, 401)
        self.assertEqual(project.principal_repaid, 0)
        response = post(signature)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["result"], "ok")
        self.assertEqual(project.principal_repaid, 200000)

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

    def test_repayment_keeps_the_date_of_the_notice(self):
        project = self._project_in("active", released=800000.0)
        self._post({"event_id": "E-REP-D", "type": "repayment", "project": project.name,
                    "amount": 150000, "date": "2026-03-31"})
        self.assertEqual(
            [(str(row.date), row.amount) for row in project.repayment_ids],
            [("2026-03-31", 150000)],
        )

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

    def test_unknown_project_is_refused_and_recorded(self):
        response = self._post({"event_id": "E-UNK", "type": "repayment", "project": "DB-NONE",
                               "amount": 1})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._event("E-UNK").state, "rejected")
        self.assertFalse(self.env["guarantee.bank.notification"].search(
            [("event_id", "=", "E-UNK")]))

    def test_missing_date_or_amount_answers_400_and_records_the_event(self):
        project = self._project_in("contracted")
        response = self._post({"event_id": "E-NODATE", "type": "loan_released",
                               "project": project.name, "amount": 900000})
        self.assertEqual(response.status_code, 400)
        self.assertIn("date", response.json()["error"])
        response = self._post({"event_id": "E-NOAMT", "type": "loan_released",
                               "project": project.name, "date": "2026-02-01"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual((self._event("E-NODATE").state, self._event("E-NOAMT").state),
                         ("error", "error"))
        self.assertEqual(project.state, "contracted", "nothing half written")
        response = self._post({"event_id": "E-BADAMT", "type": "repayment",
                               "project": project.name, "amount": "abc"})
        self.assertEqual(response.status_code, 400)

    def test_archived_connector_is_refused_like_a_bad_signature(self):
        project = self._project_in("active")
        self.connector.active = False
        archived = self._post({"event_id": "E-ARCH", "type": "repayment",
                               "project": project.name, "amount": 1})
        self.connector.active = True
        unknown = self.url_open("/guarantee/bank/notify/999999", data=b"{}",
                                headers={"Content-Type": "application/json"})
        bad = self._post({"event_id": "E-BAD2", "type": "repayment", "project": project.name,
                          "amount": 1}, secret="wrong")
        self.assertEqual({archived.status_code, unknown.status_code, bad.status_code}, {401})
        self.assertEqual(archived.json(), unknown.json())
        self.assertEqual(archived.json(), bad.json())
        self.assertEqual(project.principal_repaid, 0)
        self.assertFalse(self._event("E-ARCH"))

    def test_project_of_another_bank_is_refused(self):
        other_bank = self.env["res.partner"].create({"name": "其他银行", "is_company": True})
        project = self._project_in("active", creditor_id=other_bank.id)
        response = self._post({"event_id": "E-OTHER", "type": "repayment",
                               "project": project.name, "amount": 1000})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(project.principal_repaid, 0)
        self.assertEqual(self._event("E-OTHER").state, "rejected")

    def test_replayed_notification_changes_nothing(self):
        project = self._project_in("active", released=800000.0)
        payload = {"event_id": "E-REPLAY", "type": "repayment", "project": project.name,
                   "amount": 1000}
        self.assertEqual(self._post(payload).status_code, 200)
        old = self._post(payload, timestamp=time.time() - 3600)
        self.assertEqual(old.status_code, 401, "outside the window the signature is refused")
        again = self._post(payload)
        self.assertEqual(again.json()["result"], "duplicate")
        self.assertEqual(project.principal_repaid, 1000)

    def test_overdue_opens_one_collection_case(self):
        project = self._project_in("active")
        for event_id, days in (("E-OD-A", 5), ("E-OD-B", 6)):
            self._post({"event_id": event_id, "type": "overdue", "project": project.name,
                        "days_overdue": days, "amount": 30000,
                        "date": "2026-08-%02d" % (10 + days)})
        cases = self.env["guarantee.collection"].search([("project_id", "=", project.id)])
        self.assertEqual(len(cases), 1, "the same instalment is one debt")
        self.assertEqual((str(cases.date_due), cases.origin, cases.amount_due),
                         ("2026-08-10", "bank", 30000))
