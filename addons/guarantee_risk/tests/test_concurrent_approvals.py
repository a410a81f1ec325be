from contextlib import closing

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from odoo.addons.guarantee_base.tests.committed import CommittedRows
from odoo.addons.guarantee_base.tests.common import GuaranteeCase
from odoo.addons.guarantee_base.tests.refusals import RefusalAssertions


@tagged("post_install", "-at_install")
class TestConcurrentApprovals(RefusalAssertions, BaseCase):
    """Two approvals at once, on two database connections as two workers would run them: the
    second cannot pass on the figures it read before the first committed.

    The fixture is committed (two transactions must see it) and removed afterwards, with
    every row the approvals wrote."""

    def setUp(self):
        super().setUp()
        # what the approvals change in place (the company's net assets, its exposure rows)
        # is put back, every row they made is removed
        self.rows = CommittedRows(get_db_name(), kept_tables=("res_company", "guarantee_exposure"))
        self.rows.snapshot()
        self.addCleanup(self.rows.remove)
        self.connection = self.rows.connection
        with closing(self.connection.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            company.guarantee_net_assets = 100_000_000
            product = env["guarantee.product"].create(
                {
                    "name": "并发测试借款担保",
                    "code": "CONCURRENT-LOAN",
                    "business_type": "loan",
                    "company_id": company.id,
                    "committee_threshold": 1e12,
                }
            )
            partner = env["res.partner"].create(
                {
                    "name": "并发测试中型企业",
                    "is_company": True,
                    "is_guarantee_customer": True,
                    "enterprise_scale": "medium",
                    "uscc": GuaranteeCase._valid_uscc("330100", "CC000001"),
                }
            )
            projects = env["guarantee.project"].create(
                [
                    {
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "product_id": product.id,
                        "creditor_id": partner.id,
                        "amount": 8_000_000,
                        "term_months": 12,
                        "date_start": "2026-01-01",
                    }
                    for _i in range(2)
                ]
            )
            projects._unlocked(history=True)._do_transition("submit_review")
            cr.commit()
            self.ids = {"projects": projects.ids}

    def test_second_of_two_simultaneous_approvals_is_refused(self):
        first_id, second_id = self.ids["projects"]
        with closing(self.connection.cursor()) as cr1, closing(self.connection.cursor()) as cr2:
            first = api.Environment(cr1, SUPERUSER_ID, {})["guarantee.project"].browse(first_id)
            second = api.Environment(cr2, SUPERUSER_ID, {})["guarantee.project"].browse(second_id)
            # both reviewers open their project: each sees the borrower at 0% before, 8% after
            self.assertAlmostEqual(first.limit_party_pct_after, 8.0)
            self.assertAlmostEqual(second.limit_party_pct_after, 8.0)
            first.action_approve()
            cr1.commit()
            # the second approval read its figures before the first committed: refused by
            # PostgreSQL, and Odoo runs the request again
            with self.assertRaises(errors.SerializationFailure), mute_logger("odoo.sql_db"):
                second.action_approve()
            cr2.rollback()
            second.invalidate_model()
            with self.assertRaisesExactly(
                UserError, "The liability balance of 并发测试中型企业 after approval"
            ) as error:
                second.action_approve()
            self.assertIn("16.00%", str(error.exception))
            cr2.rollback()
            self.assertEqual(second.state, "reviewing")
            self.assertEqual(first.state, "approved")
