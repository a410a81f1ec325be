from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GuaranteeAccountingCase


@tagged("at_install")
class TestEntryDeletion(GuaranteeAccountingCase):
    """Deleting an entry of a guarantee record is refused in words, not by a foreign key."""

    def test_deleting_a_guarantee_entry_says_why_in_words(self):
        project = self._create_project()
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1)
        move = self.env["account.move"].create({
            "move_type": "entry", "journal_id": journal.id, "guarantee_project_id": project.id,
            "ref": "保证金收取",
        })
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["guarantee_accounting"], ["zh_CN"], overwrite=True)
        with self.assertRaisesExactly(
            UserError,
            r"^分录草稿 \(保证金收取\) 记录了担保业务（DB\d{4}-\d+），不能删除。请冲销该凭证，或撤"
            r"销其所属的担保记录。$",
        ) as caught:
            move.with_user(self.finance).with_context(lang="zh_CN").unlink()
        self.assertIs(type(caught.exception), UserError)
        self.assertIn(project.name, str(caught.exception))
        self.assertNotIn("fkey", str(caught.exception))
        self.assertTrue(move.exists())

    def test_other_draft_entries_are_still_deleted(self):
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1)
        move = self.env["account.move"].create({"move_type": "entry", "journal_id": journal.id})
        move.with_user(self.finance).unlink()
        self.assertFalse(move.exists())
