from odoo.tests import tagged

from .common import GuaranteeAccountingCase


@tagged("at_install")
class TestLedgerNetAssetsAndOrigins(GuaranteeAccountingCase):
    """What risk reads through hooks and selections that the accounting owns: net assets from
    the posted ledger, and the bank notice as a collection origin."""

    def _account(self, account_type):
        return self.env["account.account"].search(
            [("company_ids", "in", self.company.id), ("account_type", "=", account_type)],
            limit=1)

    def test_net_assets_from_the_ledger_are_assets_minus_liabilities_posted(self):
        self.company.guarantee_net_assets_source = "ledger"
        before = self.company._guarantee_net_assets_amount()
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1)
        asset = self._account("asset_current")
        liability = self._account("liability_current")
        equity = self._account("equity")
        move = self.env["account.move"].create({
            "move_type": "entry", "journal_id": journal.id, "ref": "股东增资及短期借款",
            "line_ids": [
                (0, 0, {"account_id": asset.id, "debit": 1_500.0, "credit": 0.0}),
                (0, 0, {"account_id": liability.id, "debit": 0.0, "credit": 500.0}),
                (0, 0, {"account_id": equity.id, "debit": 0.0, "credit": 1_000.0}),
            ],
        })
        # a draft entry is not in the ledger yet
        self.assertEqual(self.company._guarantee_net_assets_amount(), before)
        move.action_post()
        # assets +1,500 − liabilities 500 = +1,000 (the equity side is not summed)
        self.assertAlmostEqual(self.company._guarantee_net_assets_amount() - before, 1_000.0,
                               places=2)

    def test_the_collection_origins_are_added_by_their_owners(self):
        Collection = self.env["guarantee.collection"]
        origin = Collection._fields["origin"]
        self.assertEqual(set(dict(origin._description_selection(self.env))), {"fee", "bank"})
        # the addon whose field definition declares each value (what Odoo reflects as the
        # owner of the selection row, and removes with it)
        self.assertEqual(
            {value: sorted(modules)
             for value, modules in origin._selection_modules(Collection).items()},
            {"fee": ["guarantee_contract"], "bank": ["guarantee_accounting"]},
        )
