"""Numbers that carry a year restart every year (DESIGN: `DB2026-00001`)."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestYearlySequences(TransactionCase):
    def _project_sequences(self):
        data = self.env["ir.model.data"].search([
            ("model", "=", "ir.sequence"), ("module", "=like", "guarantee\\_%"),
        ])
        return self.env["ir.sequence"].browse(data.mapped("res_id"))

    def test_every_numbering_with_a_year_restarts_with_the_year(self):
        sequences = self._project_sequences()
        self.assertGreaterEqual(len(sequences), 12)
        yearly = sequences.filtered(lambda sequence: "year)s" in (sequence.prefix or ""))
        without_range = yearly.filtered(lambda sequence: not sequence.use_date_range)
        self.assertEqual(without_range.mapped("code"), [])

    def test_a_compensation_number_starts_again_at_one_in_the_new_year(self):
        sequence = self.env.ref("guarantee_accounting.seq_guarantee_compensation")
        sequence.date_range_ids.unlink()
        numbers = [
            sequence.with_context(ir_sequence_date=day).next_by_id()
            for day in ("2031-12-30", "2031-12-31", "2032-01-01")
        ]
        self.assertEqual(numbers, ["DC2031-0001", "DC2031-0002", "DC2032-0001"])
