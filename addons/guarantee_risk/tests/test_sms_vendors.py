import datetime
import json
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_platform.tests.fake_servers import KeepLocalTimeouts

from ..tools.sms_vendor_adapters import aliyun_signature, tc3_authorization
from .fake_vendors import FakeAliyunSms, FakeTencentSms

NOW = datetime.datetime(2026, 4, 1, 2, 0)  # 10:00 in Beijing, outside quiet hours


@tagged("post_install", "-at_install")
class TestSmsVendors(KeepLocalTimeouts, GuaranteeCase):
    """Collection texts through Alibaba Cloud and Tencent Cloud SMS, with their signatures,
    the company's sign name and templates, and delivery receipts on the contact log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the collection origins belong to the addons above (fees, bank notices): these
        # cases have an origin of their own
        origin = cls.env["guarantee.collection"]._fields["origin"]
        cls.startClassPatcher(patch.object(
            origin, "selection", [*origin.selection, ("sms_test", "SMS test")]))
        cls.startClassPatcher(patch.object(
            origin, "_selection", dict(origin._selection, sms_test="SMS test")))
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.write({"guarantee_quiet_start": 21.0, "guarantee_quiet_end": 8.0})
        cls.env["guarantee.sms.gateway"].search([]).active = False
        cls.env["guarantee.collection.step"].search([]).active = False
        cls.step = cls.env["guarantee.collection.step"].create({
            "name": "第1天短信", "company_id": cls.company.id, "day": 1, "channel": "sms",
            "template": "{partner}：{project}应付款项{amount}已逾期{days}天",
            "sms_template_code": "SMS_465300001", "sms_template_params": "partner,days",
        })
        cls.customer.mobile = "13800138000"
        cls.project = cls._create_project()

    def _case(self, ref):
        return self.env["guarantee.collection"]._open_for(
            self.project, "sms_test", ref, 50000.0, datetime.date(2026, 3, 31))

    def _gateway(self, protocol, server, **values):
        return self.env["guarantee.sms.gateway"].create(dict({
            "name": "短信", "company_id": self.company.id, "protocol": protocol,
            "base_url": server.url, "sign_name": "测试担保", "template_code": "SMS_465300000",
            "timeout": 5.0, "max_retries": 2, "backoff": 0.01,
        }, **values))

    # ------------------------------------------------------------------ the documented vectors

    def test_alibaba_signature_is_the_documentation_example(self):
        """The worked example of Alibaba Cloud's SMS signature page: AccessKeySecret
        testSecret over these parameters signs as zJDF+Lrzhj/ThnlvIToysFRq6t4=."""
        params = {
            "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
            "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou",
            "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
            "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
            "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
        }
        self.assertEqual(aliyun_signature("testSecret", "GET", params),
                         "zJDF+Lrzhj/ThnlvIToysFRq6t4=")

    def test_tencent_signature_is_the_documentation_example(self):
        """The worked example of Tencent Cloud's signature v3 page (CVM DescribeInstances,
        timestamp 1551113065)."""
        payload = ('{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], '
                   '"Name": "instance-name"}]}')
        self.assertEqual(
            tc3_authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                              "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm",
                              "cvm.tencentcloudapi.com", 1551113065, payload),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")

    # ------------------------------------------------------------------ Alibaba Cloud

    def test_alibaba_text_uses_the_step_template_and_its_receipt_reaches_the_contact(self):
        vendor = FakeAliyunSms()
        with vendor.server() as server:
            gateway = self._gateway("aliyun", server, access_key_id=vendor.key_id,
                                    api_key=vendor.secret)
            case = self._case("A-1")
            case._run_ladder(now=NOW)
            contact = case.contact_ids
            self.assertEqual((contact.state, contact.delivery_state), ("done", "pending"))
            self.assertEqual(len(vendor.sent), 1)
            sent = vendor.sent[0]
            self.assertEqual((sent["SignName"], sent["TemplateCode"], sent["PhoneNumbers"]),
                             ("测试担保", "SMS_465300001", "13800138000"))
            self.assertEqual(json.loads(sent["TemplateParam"]),
                             {"partner": self.customer.name, "days": "1"})
            self.assertEqual(contact.sms_message_id, "90061974693649840001^0")
            vendor.status[contact.sms_message_id] = (3, "DELIVERED")
            self.env["guarantee.sms.gateway"]._cron_pull_receipts()
        self.assertEqual(contact.delivery_state, "delivered")
        self.assertEqual(contact.delivery_date, "2026-04-01 10:00:05")
        self.assertEqual(gateway.call_log_ids.mapped("operation").count("send_sms"), 1)

    def test_alibaba_error_code_fails_the_contact_and_is_logged(self):
        vendor = FakeAliyunSms()
        vendor.refuse_with = "isv.MOBILE_NUMBER_ILLEGAL"
        with vendor.server() as server:
            gateway = self._gateway("aliyun", server, access_key_id=vendor.key_id,
                                    api_key=vendor.secret)
            case = self._case("A-2")
            case._run_ladder(now=NOW)
        self.assertEqual(case.contact_ids.state, "failed")
        self.assertFalse(case.contact_ids.delivery_state)
        log = gateway.call_log_ids.filtered(lambda log: log.operation == "send_sms")
        self.assertEqual(log.outcome, "error")
        self.assertIn("isv.MOBILE_NUMBER_ILLEGAL", log.message)

    def test_alibaba_refuses_a_wrong_secret_with_its_signature_code(self):
        vendor = FakeAliyunSms()
        with vendor.server() as server:
            gateway = self._gateway("aliyun", server, access_key_id=vendor.key_id,
                                    api_key="not-the-secret")
            case = self._case("A-3")
            case._run_ladder(now=NOW)
        self.assertEqual(case.contact_ids.state, "failed")
        self.assertEqual(vendor.sent, [])
        self.assertIn("SignatureDoesNotMatch", gateway.call_log_ids.message)
        self.assertNotIn("not-the-secret", gateway.call_log_ids.message)

    def test_a_text_that_timed_out_is_not_sent_again(self):
        """SendSms has no idempotency key: after a time-out the text may have left, so it
        is not repeated (it would reach the debtor twice)."""
        vendor = FakeAliyunSms(hang=1.5)
        with vendor.server() as server:
            gateway = self._gateway("aliyun", server, access_key_id=vendor.key_id,
                                    api_key=vendor.secret, timeout=0.5)
            case = self._case("A-4")
            case._run_ladder(now=NOW)
        self.assertEqual(case.contact_ids.state, "failed")
        self.assertEqual(gateway.call_log_ids.mapped("outcome"), ["error"])
        self.assertIn("Timeout", gateway.call_log_ids.message)

    # ------------------------------------------------------------------ Tencent Cloud

    def test_tencent_text_and_its_failed_receipt(self):
        vendor = FakeTencentSms()
        with vendor.server() as server:
            self._gateway("tencent", server, access_key_id=vendor.secret_id,
                          api_key=vendor.secret_key, sdk_app_id="1400787878")
            case = self._case("T-1")
            case._run_ladder(now=NOW)
            contact = case.contact_ids
            self.assertEqual(contact.state, "done")
            sent = vendor.sent[0]
            self.assertEqual(sent["PhoneNumberSet"], ["+8613800138000"])
            self.assertEqual((sent["SmsSdkAppId"], sent["SignName"], sent["TemplateId"]),
                             ("1400787878", "测试担保", "SMS_465300001"))
            self.assertEqual(sent["TemplateParamSet"], [self.customer.name, "1"])
            vendor.reports = [{
                "SerialNo": contact.sms_message_id, "PhoneNumber": "+8613800138000",
                "ReportStatus": "FAIL", "Description": "用户关机",
                "UserReceiveTime": "2026-04-01 10:00:09",
            }]
            self.env["guarantee.sms.gateway"]._cron_pull_receipts()
        self.assertEqual((contact.delivery_state, contact.delivery_error), ("failed", "用户关机"))

    def test_tencent_per_number_error_code_fails_the_contact(self):
        vendor = FakeTencentSms()
        vendor.number_code = "LimitExceeded.PhoneNumberDailyLimit"
        with vendor.server() as server:
            gateway = self._gateway("tencent", server, access_key_id=vendor.secret_id,
                                    api_key=vendor.secret_key, sdk_app_id="1400787878")
            case = self._case("T-2")
            case._run_ladder(now=NOW)
        self.assertEqual(case.contact_ids.state, "failed")
        self.assertIn("LimitExceeded.PhoneNumberDailyLimit", gateway.call_log_ids.message)

    def test_tencent_refuses_a_wrong_key_with_its_auth_code(self):
        vendor = FakeTencentSms()
        with vendor.server() as server:
            gateway = self._gateway("tencent", server, access_key_id=vendor.secret_id,
                                    api_key="wrong-key", sdk_app_id="1400787878")
            case = self._case("T-3")
            case._run_ladder(now=NOW)
        self.assertEqual(case.contact_ids.state, "failed")
        self.assertEqual(vendor.sent, [])
        self.assertIn("AuthFailure.SignatureFailure", gateway.call_log_ids.message)

    def test_vendor_credentials_are_for_administrators_only(self):
        vendor = FakeTencentSms()
        with vendor.server() as server:
            gateway = self._gateway("tencent", server, access_key_id=vendor.secret_id,
                                    api_key=vendor.secret_key)
        with self.assertRaisesRegex(AccessError, "not allowed to access"):
            gateway.with_user(self.risk).read(["sign_name"])
        self.assertEqual(gateway._fields["access_key_id"].groups, "base.group_system")
        with self.assertRaisesRegex(AccessError, "access_key_id"):
            gateway.with_user(self.gadmin).read(["access_key_id"])
        self.assertEqual(gateway.with_user(self.gadmin).read(["sign_name"])[0]["sign_name"],
                         "测试担保")
        admin = self.env.ref("base.user_admin")
        values = gateway.with_user(admin).read(["access_key_id", "sign_name"])[0]
        self.assertEqual((values["access_key_id"], values["sign_name"]),
                         (vendor.secret_id, "测试担保"))
