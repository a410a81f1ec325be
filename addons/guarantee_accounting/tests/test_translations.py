from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GuaranteeAccountingCase


@tagged("at_install")
class TestTranslations(GuaranteeAccountingCase):
    def test_close_refusal_is_explained_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["guarantee_accounting"], ["zh_CN"], overwrite=True
        )
        project = self._project_in("active")
        self._paid_compensation(project)
        with self.assertRaisesExactly(
            UserError,
            r"^无法执行此步骤：\nDB\d{4}-\d+:\n - 应收代偿款 512000\.0 "
            r"尚未结清：请先登记追偿或核销损失。$",
        ):
            project.with_context(lang="zh_CN").action_close()
        loss = self.env["guarantee.loss"].create(
            {"project_id": project.id, "amount": 1.0, "reason": "测试"}
        )
        with self.assertRaisesExactly(
            UserError,
            r"^HX\d{4}-\d+ 不能核销：\n - 必须附上法院判决书或执行裁定书。$",
        ):
            loss.with_context(lang="zh_CN").action_post()
