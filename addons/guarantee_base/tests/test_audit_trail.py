from odoo.tests import tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestAuditTrail(GuaranteeCase):
    def test_guarantee_models_are_audited_by_default(self):
        audited = self.env["auditlog.rule"].search([("state", "=", "subscribed")]).mapped(
            "model_id.model"
        )
        for model in ("guarantee.project", "guarantee.product", "res.partner",
                      "guarantee.document", "guarantee.document.type", "guarantee.stage.task"):
            self.assertIn(model, audited)

    def test_a_write_on_a_project_is_logged_with_its_user(self):
        project = self._create_project()
        project.with_user(self.pm_a).write({"amount": 1200000})
        log = self.env["auditlog.log"].search(
            [("model_id.model", "=", "guarantee.project"), ("res_id", "=", project.id),
             ("method", "=", "write")]
        )
        self.assertTrue(log)
        self.assertEqual(log[0].user_id, self.pm_a)
        amount_line = log.line_ids.filtered(lambda line: line.field_id.name == "amount")
        self.assertEqual(amount_line[0].new_value, "1200000.0")
