from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RiskCase


@tagged("at_install")
class TestCollateral(RiskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products["loan"].min_coverage_ratio = 50
        cls.borrower = cls._company_partner("南京测试精工有限公司", "small")
        cls.guarantor = cls._company_partner("南京测试担保人有限公司", "medium")

    def _collateral(self, project, **values):
        return self.env["guarantee.collateral"].create(
            dict(
                {
                    "project_id": project.id,
                    "name": "南京市玄武区某路1号房产抵押",
                    "kind": "mortgage",
                    "asset_type": "real_estate",
                    "owner_id": self.borrower.id,
                    "appraised_value": 1_000_000,
                },
                **values,
            )
        )

    def _register(self, collateral):
        collateral.write(
            {
                "registration_no": "苏(2026)南京市不动产证明第0001号",
                "registration_authority": "南京市不动产登记中心",
                "registration_date": "2026-01-05",
            }
        )
        collateral.action_register()

    def test_haircut_comes_from_the_table_and_gives_the_recognized_value(self):
        project = self._project(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        self.assertEqual(collateral.haircut, 70)
        self.assertEqual(collateral.recognized_value, 700_000)
        self.assertTrue(collateral.registration_required)
        collateral.haircut = 60
        self.assertEqual(collateral.recognized_value, 600_000)

    def test_new_company_starts_with_the_default_haircuts(self):
        haircuts = self.env["guarantee.collateral.haircut"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(haircuts), 11)
        self.assertEqual(haircuts.filtered(lambda h: h.asset_type == "deposit").haircut, 100)

    def test_pm_enters_collateral_of_own_project_through_the_form(self):
        project = self._project(self.borrower, 1_000_000)
        form = Form(self.env["guarantee.collateral"].with_user(self.pm_a))
        form.project_id = project
        form.name = "数控机床抵押"
        form.kind = "mortgage"
        form.asset_type = "equipment"
        form.owner_id = self.borrower
        form.appraised_value = 400_000
        collateral = form.save()
        self.assertEqual(collateral.haircut, 50)
        self.assertEqual(collateral.recognized_value, 200_000)
        self.assertEqual(project.coverage_ratio, 20)

    def test_asset_type_must_fit_the_kind(self):
        project = self._project(self.borrower, 1_000_000)
        with self.assertRaisesExactly(
            ValidationError, "A Pledge cannot be of asset type Real Estate"
        ):
            self._collateral(project, kind="pledge", asset_type="real_estate")

    def test_guarantor_must_be_in_the_customer_archive(self):
        project = self._project(self.borrower, 1_000_000)
        outsider = self.env["res.partner"].create({"name": "路人甲公司", "is_company": True})
        with self.assertRaisesExactly(
            ValidationError, "The guarantor 路人甲公司 must be in the customer archive"
        ) as error:
            self._collateral(
                project, kind="guarantor", asset_type="enterprise", owner_id=outsider.id
            )
        self.assertIn("路人甲公司", str(error.exception))
        guarantee = self._collateral(
            project,
            kind="guarantor",
            asset_type="enterprise",
            owner_id=self.guarantor.id,
            name="南京测试担保人有限公司连带责任保证",
        )
        self.assertFalse(guarantee.registration_required)
        guarantee.action_register()
        self.assertEqual(guarantee.state, "registered")

    def test_register_is_refused_without_number_authority_and_date(self):
        project = self._project(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        with self.assertRaisesExactly(
            UserError, "南京市玄武区某路1号房产抵押 cannot be registered without its registration"
        ) as error:
            collateral.action_register()
        message = str(error.exception)
        self.assertIn("registration number", message)
        self.assertIn("registration authority", message)
        self.assertIn("registration date", message)
        self.assertEqual(collateral.state, "planned")
        self._register(collateral)
        self.assertEqual(collateral.state, "registered")

    def test_contract_is_refused_below_minimum_coverage_with_the_figures(self):
        project = self._project(self.borrower, 2_000_000, own_share=50)
        self._register(self._collateral(project, appraised_value=400_000))  # 280,000
        project._unlocked(history=True)._do_transition("approve")
        # 280,000 / (2,000,000 × 50%) = 28%
        self.assertAlmostEqual(project.coverage_ratio, 28)
        with self.assertRaisesExactly(
            UserError, r"Counter-guarantee coverage 28\.00% is below the product minimum of 50\.00%"
        ) as error:
            project.action_contract()
        message = str(error.exception)
        self.assertIn("28.00%", message)
        self.assertIn("50.00%", message)
        self.assertIn("¥280,000.00", message)
        self.assertIn("¥1,000,000.00", message)
        self.assertEqual(project.state, "approved")

    def test_contract_is_refused_while_a_required_registration_is_missing(self):
        project = self._project(self.borrower, 1_000_000)
        self._collateral(project, name="房产抵押（待登记）")
        project._unlocked(history=True)._do_transition("approve")
        with self.assertRaisesExactly(
            UserError, "These counter-guarantees must be registered first: 房产抵押（待登记）"
        ) as error:
            project.action_contract()
        self.assertIn("房产抵押（待登记）", str(error.exception))

    def test_activate_is_refused_below_coverage_and_allowed_when_covered(self):
        project = self._project(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        self._register(collateral)
        project._unlocked(history=True)._do_transition("contract")
        collateral.haircut = 40  # 400,000 / 1,000,000 = 40% < 50%
        project.write({"loan_release_date": "2026-01-10", "loan_amount_released": 1_000_000})
        with self.assertRaisesExactly(
            UserError, r"Counter-guarantee coverage 40\.00% is below the product minimum of 50\.00%"
        ) as error:
            project.action_activate()
        self.assertIn("40.00%", str(error.exception))
        collateral.haircut = 70
        self.assertFalse(project._collateral_blockers())
        self._complete_documents(project)
        project.action_activate()
        self.assertEqual(project.state, "active")

    def test_released_collateral_does_not_count_for_coverage(self):
        project = self._project(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        self._register(collateral)
        self.assertEqual(project.coverage_ratio, 70)
        collateral.action_release()
        self.assertEqual(project.coverage_ratio, 0)
        # released is final (issue 22, the declared graph): no step registers it again,
        # and no collateral is born registered
        for state, label in (("registered", "Registered"), ("planned", "Planned")):
            with self.assertRaisesExactly(UserError, f"is Released and cannot become {label}."):
                collateral._unlocked().write({"state": state})
        self.assertEqual((collateral.state, project.coverage_ratio), ("released", 0))
        with self.assertRaisesExactly(
            UserError, "A counter-guarantee is created planned, then registered through its "
            "action.",
        ):
            self.env["guarantee.collateral"].sudo().create({
                "project_id": project.id, "name": "伪造已登记抵押", "kind": "mortgage",
                "asset_type": "real_estate", "owner_id": self.borrower.id,
                "appraised_value": 1_000_000, "state": "registered",
            })

    def test_collateral_is_released_when_the_project_is_released(self):
        project = self._in_force(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        self._register(collateral)
        self._complete_documents(project)
        project.action_release()
        self.assertEqual(project.state, "released")
        self.assertEqual(collateral.state, "released")
        self.assertTrue(collateral.date_released)

    def test_collateral_is_released_when_the_project_is_closed(self):
        project = self._in_force(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        self._register(collateral)
        project._do_transition("compensate")
        self._complete_documents(project)
        project.action_close()
        self.assertEqual(collateral.state, "released")

    def test_state_changes_only_through_the_actions(self):
        project = self._project(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        with self.assertRaisesExactly(
            UserError, "“State” of Counter-Guarantee change only through its actions, which check"
        ):
            collateral.with_user(self.pm_a).write({"state": "registered"})
        with self.assertRaisesExactly(
            UserError, "A counter-guarantee is created planned, then registered through its action"
        ):
            self._collateral(project, state="registered")
        self.assertEqual(collateral.state, "planned")

    def test_only_planned_collateral_can_be_deleted(self):
        project = self._project(self.borrower, 1_000_000)
        collateral = self._collateral(project)
        self._register(collateral)
        with self.assertRaisesExactly(
            UserError, "南京市玄武区某路1号房产抵押 is Registered and cannot be deleted"
        ):
            collateral.unlink()
