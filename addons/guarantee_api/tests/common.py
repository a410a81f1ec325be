import base64
import json
import time

from odoo.tests import HttpCase

from odoo.addons.guarantee_accounting.tests.common import GuaranteeAccountingCase
from odoo.addons.guarantee_platform.tools.inbound import sign

ROOT = "/api/guarantee/v1"
NOTIFY_SECRET = "notify-secret-for-input-tests"
PDF = b"%PDF-1.4 licence"
# the partner's calls and idempotency answers are the platform's call-log lines and events
# recorded under its key
API_KEY = "guarantee.api.key"

# what a call may leave behind: (model, domain); a refusal leaves only its log line
WATCHED = {
    "projects": ("guarantee.project", []),
    "partners": ("res.partner", []),
    "attachments": ("ir.attachment", [("res_model", "=", "guarantee.project")]),
    "idempotency_keys": ("guarantee.connector.event", [("res_model", "=", API_KEY)]),
    "notifications": ("guarantee.bank.notification", []),
    "events": ("guarantee.connector.event", [("res_model", "!=", API_KEY)]),
    "messages": ("mail.message", []),
    "activities": ("mail.activity", []),
    "risk_signals": ("guarantee.risk.signal", []),
    "collections": ("guarantee.collection", []),
    "api_calls": ("guarantee.connector.call.log", [("res_model", "=", API_KEY)]),
    "connector_calls": ("guarantee.connector.call.log", [("res_model", "!=", API_KEY)]),
}


class PartnerApiCalls:
    """Keys and calls of the partner API over real HTTP, for an HttpCase."""

    @classmethod
    def _bank_notice_connector(cls):
        """The bank's REST connector the bank's key answers for, in a company with the net
        assets that let the test applications pass the regulatory gate."""
        cls.company.guarantee_net_assets = 1_000_000_000
        return cls.env["guarantee.bank.connector"].create({
            "name": "测试银行通知",
            "protocol": "rest",
            "url": "http://127.0.0.1:9",
            "account_number": "1202020009000123456",
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "bank_partner_id": cls.bank.id,
        })

    @classmethod
    def _new_key(cls, **values):
        key = cls.env["guarantee.api.key"].create(dict({"user_id": cls.pm_a.id}, **values))
        action = key.action_generate_key()
        return key, action["context"]["guarantee_api_plain_key"]

    def _last_log(self):
        """The latest call of the partner API in the platform's call log."""
        return self.env["guarantee.connector.call.log"].search([("res_model", "=", API_KEY)],
                                                               limit=1)

    # ------------------------------------------------------------------ calls

    def _call(self, method, path, secret=None, body=None, idempotency=None, headers=None):
        """One call of the partner API; ``body`` is JSON-encoded unless it is bytes."""
        all_headers = {"Content-Type": "application/json"}
        if secret:
            all_headers["Authorization"] = "Bearer %s" % secret
        if idempotency:
            all_headers["Idempotency-Key"] = idempotency
        all_headers.update(headers or {})
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        response = self.opener.request(method, self.base_url() + ROOT + path, data=body,
                                       headers=all_headers, timeout=30)
        self.env.invalidate_all()
        return response

    def _application(self, **overrides):
        application = {
            "applicant": {"name": "接口申请科技有限公司",
                          "uscc": self._valid_uscc("330106", "A1P2B3K4"),
                          "enterprise_scale": "small"},
            "product_code": self.product.code,
            "amount": 2000000,
            "term_months": 12,
            "date_start": "2026-03-01",
            "purpose": "采购原材料",
            "documents": [{"name": "营业执照.pdf", "content": base64.b64encode(PDF).decode()}],
        }
        application.update(overrides)
        return application


class PartnerApiCase(PartnerApiCalls, GuaranteeAccountingCase, HttpCase):
    """A bank and a platform with keys, a lending bank the platform may name, a project in
    force for the bank, and helpers to call the API and the signed bank webhook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.guarantee_net_assets = 1_000_000_000
        cls.bank.uscc = cls._valid_uscc("330100", "B1A2N3K4")
        cls.connector = cls.env["guarantee.bank.connector"].create({
            "name": "测试银行通知",
            "protocol": "rest",
            "url": "http://127.0.0.1:9",
            "account_number": "1202020009000123456",
            "journal_id": cls.company.guarantee_bank_journal_id.id,
            "bank_partner_id": cls.bank.id,
            "notification_secret": NOTIFY_SECRET,
        })
        cls.bank_key, cls.bank_secret = cls._new_key(
            name="测试银行接口", partner_id=cls.bank.id, partner_kind="bank",
            bank_connector_id=cls.connector.id, scope_applications=True,
            scope_bank_notices=True, rate_limit=10000)
        cls.lending_bank = cls.env["res.partner"].create({
            "name": "合作放款银行", "is_company": True,
            "uscc": cls._valid_uscc("330100", "L1E2N3D4")})
        cls.platform = cls.env["res.partner"].create({"name": "测试供应链平台", "is_company": True})
        cls.platform_key, cls.platform_secret = cls._new_key(
            name="测试平台接口", partner_id=cls.platform.id, partner_kind="platform",
            scope_applications=True, creditor_ids=[(6, 0, cls.lending_bank.ids)],
            rate_limit=10000)
        cls.project = cls._project_in("active", released=800000.0)
        cls.sequence = cls.env["ir.sequence"].search([("code", "=", "guarantee.project")])

    def _notify(self, body, connector=None, secret=NOTIFY_SECRET, path=None, headers=None):
        """One signed call of the bank webhook; ``body`` is JSON-encoded unless it is bytes."""
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        all_headers = {"Content-Type": "application/json", "X-Guarantee-Timestamp": timestamp,
                       "X-Guarantee-Signature": sign(secret, timestamp, body)}
        all_headers.update(headers or {})
        response = self.opener.post(
            self.base_url() + (path or "/guarantee/bank/notify/%s" % (
                connector or self.connector).id),
            data=body, headers=all_headers, timeout=30)
        self.env.invalidate_all()
        return response

    # ------------------------------------------------------------------ what was written

    def _written(self):
        """Counts of everything a call may write, and the next project number."""
        counts = {
            name: self.env[model].with_context(active_test=False).search_count(domain)
            for name, (model, domain) in WATCHED.items()
        }
        counts["next_project_number"] = self.sequence._get_current_sequence().number_next_actual
        return counts

    def assertOnlyLogged(self, before, api_calls=1, events=0, connector_calls=0):
        """Nothing changed since ``before`` but the log lines (and recorded webhook events)."""
        expected = dict(before, api_calls=before["api_calls"] + api_calls,
                        events=before["events"] + events,
                        connector_calls=before["connector_calls"] + connector_calls)
        self.assertEqual(self._written(), expected)

    def assertError(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["error"]["code"], code, response.text)
