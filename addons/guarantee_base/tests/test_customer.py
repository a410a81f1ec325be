from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import GuaranteeCase


@tagged("at_install")
class TestCustomerArchive(GuaranteeCase):
    def test_wrong_check_character_is_refused_and_nothing_saved(self):
        code = self._valid_uscc("320500", "5F6G7H8J")
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        count = self.env["res.partner"].search_count([])
        with self.assertRaisesExactly(
            ValidationError, "913205005F6G7H8J80 is not a valid unified social credit code: it must"
        ) as refused:
            self.env["res.partner"].create(
                {"name": "错误代码公司", "is_company": True, "is_guarantee_customer": True,
                 "uscc": wrong}
            )
        self.assertIn("check character", str(refused.exception))
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_person_needs_a_valid_resident_id(self):
        with self.assertRaisesExactly(
            ValidationError,
            r"^110105194912310021 is not a valid resident ID number: it must have 18 characters "
            r"and a correct check digit \(GB 11643\)\.$",
        ):
            self.env["res.partner"].create(
                {"name": "张三", "is_company": False, "uscc": "110105194912310021"}
            )
        person = self.env["res.partner"].create(
            {"name": "张三", "is_company": False, "uscc": "11010519491231002x"}
        )
        self.assertEqual(person.uscc, "11010519491231002X", "stored normalized")

    def test_duplicate_uscc_is_refused(self):
        with self.assertRaisesExactly(
            ValidationError,
            r"^The USCC / ID number 91330106T1E2R3T45K is already used by 测试机械有限公司\.$",
        ):
            self.env["res.partner"].create(
                {"name": "重复公司", "is_company": True, "uscc": self.customer.uscc}
            )

    def test_error_messages_are_translated_to_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["guarantee_base"], ["zh_CN"])
        with self.assertRaisesExactly(
            ValidationError,
            r"^913301007A2B3C4D00 不是有效的统一社会信用代码：必须为 18 位且校验码正确（GB "
            r"32100-2015）。$",
        ):
            self.env["res.partner"].with_context(lang="zh_CN").create(
                {"name": "错误代码公司", "is_company": True, "uscc": "913301007A2B3C4D00"}
            )

    def test_auto_tags_follow_industry_region_and_grade(self):
        industry = self.env.ref("guarantee_base.industry_gbt4754_34")
        self.customer.write({"industry_id": industry.id, "credit_grade": "A"})
        tags = self.customer.category_id
        self.assertIn(industry.display_name, tags.mapped("name"))
        self.assertIn("浙江省", tags.mapped("name"))
        self.assertIn("A", tags.mapped("name"))
        manual = self.env["res.partner.category"].create({"name": "重点客户"})
        self.customer.category_id |= manual
        self.customer.write(
            {"state_id": self.env.ref("base.state_cn_JS").id, "credit_grade": "BBB"}
        )
        names = self.customer.category_id.mapped("name")
        self.assertIn("江苏省", names)
        self.assertNotIn("浙江省", names, "the old region tag is gone")
        self.assertIn("BBB", names)
        self.assertNotIn("A", names)
        self.assertIn("重点客户", names, "manual tags are kept")

    def test_auto_tag_prefixes_read_in_chinese_whoever_created_them(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["guarantee_base"], ["zh_CN"],
                                                        overwrite=True)
        industry = self.env.ref("guarantee_base.industry_gbt4754_34")
        # written by an English session (the scheduler): the tags are named in Chinese too
        self.customer.with_context(lang="en_US").write(
            {"industry_id": industry.id, "credit_grade": "A"})
        tags = self.customer.with_context(lang="zh_CN").category_id
        prefixes = {tag.display_name.split(" / ")[0] for tag in tags}
        self.assertEqual(prefixes, {"行业", "地区", "信用等级"})
        english = {tag.display_name.split(" / ")[0]
                   for tag in self.customer.with_context(lang="en_US").category_id}
        self.assertEqual(english, {"Industry", "Region", "Credit Grade"})

    def test_industry_sections_have_divisions(self):
        manufacturing = self.env.ref("guarantee_base.industry_gbt4754_C")
        self.assertEqual(manufacturing.code, "C")
        self.assertEqual(len(manufacturing.child_ids), 31)
        self.assertEqual(
            self.env.ref("guarantee_base.industry_gbt4754_39").parent_id, manufacturing
        )

    def test_project_manager_registers_and_edits_own_customer_only(self):
        """Odoo gives internal users read-only contacts: the customer archive is the project
        manager's own work, so they create and edit their customers, and only theirs."""
        with Form(self.env["res.partner"].with_user(self.pm_a).with_context(
            default_is_guarantee_customer=True, default_is_company=True
        )) as form:
            form.name = "杭州云栖智造科技有限公司"
            form.uscc = "91330106MA2H7YUN0A"
        customer = form.save()
        self.assertEqual(customer.user_id, self.pm_a, "the creator manages the customer")
        customer.with_user(self.pm_a).phone = "0571-88886666"
        self.assertFalse(self.env["res.partner"].with_user(self.pm_b).search(
            [("id", "=", customer.id)]), "another project manager does not see the customer")
        with self.assertRaisesExactly(
            AccessError, r"doesn't have '(read|write)' access to:\n- Contact \(res\.partner\)"
        ):
            customer.with_user(self.pm_b).phone = "0000"
        bank = self.env["res.partner"].create({"name": "杭州银行西湖支行", "is_company": True})
        with self.assertRaisesExactly(
            AccessError, r"doesn't have 'write' access to:\n- Contact \(res\.partner\)"
        ):
            bank.with_user(self.pm_a).name = "改名"
