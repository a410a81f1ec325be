from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ContractCase


@tagged("at_install")
class TestTranslations(ContractCase):
    def test_release_blocker_reads_in_chinese(self):
        """Odoo loads a code term only from a .po entry it recognises as Python code: the
        margin blocker once stayed in English for Chinese users although its entry existed."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["guarantee_contract"], ["zh_CN"], overwrite=True
        )
        self.env.company.guarantee_net_assets = 1_000_000_000
        project = self._approved_project(amount=5000000, fee_rate=1.5, margin_rate=10)
        self._add_mortgage(project, value=5000000)
        project.collateral_ids.write(
            {
                "registration_no": "浙(2026)西湖区不动产证明第0000001号",
                "registration_authority": "杭州市西湖区不动产登记中心",
                "registration_date": "2026-01-03",
            }
        )
        project.collateral_ids.action_register()
        self._meet_contract_gates(project)
        project.action_contract()
        project.action_activate(release_date="2026-01-05", amount=5000000)
        with self.assertRaisesExactly(
            UserError,
            r"^无法执行此步骤：\nDB\d{4}-\d+:\n - 保证金 ¥\s?500,000\.00 尚未退还。$",
        ):
            project.with_context(lang="zh_CN").action_release()
