import base64
import datetime
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import BaseCase, new_test_user, tagged

from ..tools import collateral_import
from ..tools import ledger_sample as ledger_factory
from .common import GuaranteeAccountingCase


class TestCollateralCleaning(BaseCase):
    """The cleaning rules of the counter-guarantee sheet, as pure functions."""

    def _clean(self, **raw):
        return collateral_import.clean_row(dict({
            "project_ref": "TZ-1", "owner_name": "张三",
            "owner_id_no": ledger_factory.person_id(1),
        }, **raw), {})

    def test_a_kind_naming_its_asset_gives_the_asset_type(self):
        values, problems = self._clean(kind="房产抵押", appraised_value="500万")
        self.assertEqual(problems, [])
        self.assertEqual((values["kind"], values["asset_type"]), ("mortgage", "real_estate"))
        self.assertEqual(values["appraised_value"], 5000000.0)
        self.assertEqual(values["state"], "planned")

    def test_a_guarantor_is_a_person_or_an_enterprise_by_its_number(self):
        values, problems = self._clean(kind="保证")
        self.assertEqual((values["asset_type"], problems), ("person", []))
        values, problems = self._clean(kind="企业保证")
        self.assertIn(("owner_id_no", "not the number of this kind of guarantor"), problems)

    def test_the_haircut_comes_from_the_recognised_value(self):
        values, problems = self._clean(kind="质押", asset_type="股权", appraised_value=300,
                                       recognized_value=150)
        self.assertEqual((values["haircut"], problems), (50.0, []))

    def test_a_pledge_needs_its_asset_and_a_registration_when_registered(self):
        _values, problems = self._clean(kind="质押", state="已登记")
        self.assertIn(("asset_type", "missing for this kind"), problems)
        _values, problems = self._clean(kind="抵押", asset_type="股权", state="已登记")
        self.assertIn(("asset_type", "not an asset of this kind"), problems)
        _values, problems = self._clean(kind="土地抵押", state="已登记")
        self.assertIn(("registration_no", "missing for a registered counter-guarantee"),
                      problems)


@tagged("post_install", "-at_install")
class TestCollateralImport(GuaranteeAccountingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.importer = new_test_user(
            cls.env, "t_cg_importer",
            groups="guarantee_base.group_guarantee_admin,base.group_partner_manager",
        )
        # reasons are compared in English, whatever the database's default language
        cls.Wizard = cls.env["guarantee.import.wizard"].with_user(cls.importer).with_context(
            lang="en_US"
        )

    def _rows(self, count, prefix):
        return ledger_factory.ledger_rows(count, self.product.name, self.bank.name, prefix)

    def _check(self, rows, collaterals):
        wizard = self.Wizard.create({
            "file": ledger_factory.ledger_xlsx(rows, collaterals=collaterals),
            "filename": "反担保台账.xlsx",
        })
        wizard.action_check()
        return wizard

    def _collaterals(self, prefix):
        return self.env["guarantee.collateral"].search(
            [("project_id.legacy_ref", "=like", prefix + "-%")], order="id"
        )

    def test_template_sheet_headers_are_all_recognised(self):
        wizard = self.Wizard.create({})
        wizard.action_download_template()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template)))
        self.assertEqual(book.sheetnames, ["台账", "反担保"])
        headers = [cell.value for cell in book["反担保"][1]]
        mapping = collateral_import.recognise_headers(headers)
        self.assertEqual(set(mapping.values()), {t for t, _h in collateral_import.COLUMNS})
        example = dict(zip(headers, [cell.value for cell in book["反担保"][2]], strict=True))
        values, problems = collateral_import.clean_row(
            {mapping[header]: value for header, value in example.items()},
            {"appraised_value": 10000, "recognized_value": 10000},
        )
        self.assertEqual(problems, [])
        self.assertEqual(values["state"], "registered")

    def test_counter_guarantees_are_imported_in_their_ledger_state(self):
        rows = self._rows(3, "CG")
        wizard = self._check(rows, ledger_factory.collateral_rows(["CG-00001", "CG-00002",
                                                                   "CG-00003"]))
        self.assertEqual((wizard.collateral_row_count, wizard.collateral_error_row_count), (3, 0))
        self.assertFalse(self._collaterals("CG"))  # the dry run writes nothing
        wizard.action_import()
        log = wizard.log_id
        self.assertEqual((log.created_count, log.collateral_created_count), (3, 3))
        mortgage, guarantee, pledge = self._collaterals("CG")
        self.assertEqual(log.collateral_ids, mortgage | guarantee | pledge)
        self.assertEqual(mortgage.project_id.legacy_ref, "CG-00001")
        self.assertEqual(
            (mortgage.kind, mortgage.asset_type, mortgage.state, mortgage.legacy_ref),
            ("mortgage", "real_estate", "registered", "FDB-CG-00001"),
        )
        self.assertEqual(mortgage.appraised_value, 8000000.0)  # "８００" 万元
        self.assertEqual((mortgage.haircut, mortgage.recognized_value), (70.0, 5600000.0))
        self.assertEqual(mortgage.registration_no, "浙不动产证明第00000号")
        self.assertEqual(mortgage.registration_date, datetime.date(2021, 2, 20))
        self.assertEqual(mortgage.registration_expiry, datetime.date(2022, 2, 28))
        self.assertEqual(mortgage.owner_id.uscc, ledger_factory.person_id(0))
        self.assertFalse(mortgage.owner_id.is_company)
        self.assertEqual((guarantee.kind, guarantee.asset_type, guarantee.state),
                         ("guarantor", "person", "registered"))
        self.assertTrue(guarantee.owner_id.is_guarantee_customer)
        self.assertEqual((pledge.kind, pledge.asset_type, pledge.state),
                         ("pledge", "equity", "planned"))
        self.assertEqual((pledge.haircut, pledge.recognized_value), (50.0, 1500000.0))
        self.assertTrue(pledge.owner_id.is_company)
        # imported history keeps its lock: a registered mortgage's registration is frozen
        with self.assertRaisesExactly(
            UserError, r"住宅00000号 is Registered: “Registration No\.” can no longer be changed"
        ):
            mortgage.with_user(self.importer).write({"registration_no": "X"})

    def test_bad_rows_are_reported_and_only_the_valid_ones_imported_when_asked(self):
        rows = self._rows(3, "CB")
        rows[2][2] = "123"  # the third project's row is bad
        refs = ["CB-00001", "CB-00002", "CB-00003"]
        collaterals = ledger_factory.collateral_rows(refs * 3)
        collaterals[1][0] = "CB-99999"  # unknown project
        collaterals[2][2] = "抵债"  # unknown kind
        collaterals[3][5] = collaterals[3][5][:-1] + ("1" if collaterals[3][5][-1] != "1"
                                                      else "2")  # ID check digit
        collaterals[4][0] = "CB-00003"  # the project's row has problems
        collaterals[5][7] = -300  # negative value
        collaterals[6][13] = "2020-01-01"  # expiry before the registration
        collaterals[7][3] = "企业"  # a company guarantor with a person's ID number
        collaterals[8][10] = None  # registered mortgage without registration number…
        collaterals[8][0] = "CB-00001"
        collaterals[8][14] = "已登记"
        collaterals[8][2] = "抵押"
        collaterals[8][3] = "土地"
        wizard = self._check(rows, collaterals)
        problems = {(line.sheet, line.row, line.column, line.reason) for line in wizard.line_ids}
        self.assertIn(("反担保", 3, "项目编号", "unknown project"), problems)
        self.assertIn(("反担保", 4, "反担保方式", "unknown value"), problems)
        self.assertIn(("反担保", 5, "证件号码", "wrong ID card check digit"), problems)
        self.assertIn(("反担保", 6, "项目编号", "the project's row has problems"), problems)
        self.assertIn(("反担保", 7, "评估价值(万元)", "amount must be positive"), problems)
        self.assertIn(("反担保", 8, "到期日", "before the registration date"), problems)
        self.assertIn(("反担保", 9, "证件号码", "not the number of this kind of guarantor"),
                      problems)
        self.assertIn(("反担保", 10, "他项权证号", "missing for a registered counter-guarantee"),
                      problems)
        self.assertEqual((wizard.collateral_row_count, wizard.collateral_error_row_count), (9, 8))
        self.assertEqual(wizard.error_row_count, 1)  # the projects' sheet counts apart
        self.assertFalse(self._collaterals("CB"))
        wizard.action_import()
        self.assertEqual(wizard.log_id.collateral_created_count, 1)
        self.assertEqual(self._collaterals("CB").project_id.legacy_ref, "CB-00001")

    def test_the_same_file_twice_creates_nothing_and_a_change_updates(self):
        rows = self._rows(3, "CR")
        collaterals = ledger_factory.collateral_rows(["CR-00001", "CR-00002", "CR-00003"])
        self._check(rows, collaterals).action_import()
        imported = self._collaterals("CR")
        owners = imported.owner_id
        partners = self.env["res.partner"].search_count([])
        again = self._check(rows, collaterals)
        again.action_import()
        log = again.log_id
        self.assertEqual((log.collateral_created_count, log.collateral_updated_count,
                          log.collateral_unchanged_count), (0, 0, 3))
        self.assertEqual(self._collaterals("CR"), imported)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        # a later file with counter-guarantees only, for projects already in the database
        collaterals[0][7] = 900  # mortgage appraised again
        collaterals[1][14] = "已解除"  # guarantee released
        update = self._check([], collaterals)
        self.assertEqual((update.row_count, update.collateral_error_row_count), (0, 0))
        update.action_import()
        log = update.log_id
        self.assertEqual((log.collateral_created_count, log.collateral_updated_count,
                          log.collateral_unchanged_count), (0, 2, 1))
        mortgage, guarantee, _pledge = self._collaterals("CR")
        self.assertEqual(self._collaterals("CR").owner_id, owners)
        self.assertEqual(mortgage.appraised_value, 9000000.0)
        self.assertEqual(guarantee.state, "released")

    def test_a_registered_counter_guarantee_is_created_only_by_the_import(self):
        project = self._create_project()
        owner = self.env["res.partner"].create({"name": "抵押人", "is_company": False})
        with self.assertRaisesExactly(
            UserError, "A counter-guarantee is created planned, then registered through its action"
        ):
            self.env["guarantee.collateral"].with_user(self.importer).create({
                "project_id": project.id, "name": "房产", "kind": "mortgage",
                "asset_type": "real_estate", "owner_id": owner.id, "state": "registered",
            })
