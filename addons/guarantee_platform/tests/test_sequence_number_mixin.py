from odoo.tests import tagged

from ..tools.sequences import restart_yearly
from .common import TestModelCase


@tagged("post_install", "-at_install")
class TestSequenceNumberMixin(TestModelCase):
    """Numbers given at creation by the mixin, on a test model; yearly restart of the counters."""

    _test_models = ("PlatformTestNumbered",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Numbered = cls.env["platform.test.numbered"]
        Sequence = cls.env["ir.sequence"]
        Sequence.create({
            "name": "Test numbering", "code": "platform.test.numbered", "padding": 4,
            "prefix": "T%(range_year)s-", "use_date_range": True, "company_id": False,
        })
        Sequence.create({
            "name": "Test numbering B", "code": "platform.test.numbered.b", "padding": 3,
            "prefix": "B-", "company_id": False,
        })

    def _create(self, day, **vals):
        return self.Numbered.with_context(ir_sequence_date=day).create(vals)

    def test_records_are_numbered_and_the_counter_restarts_with_the_year(self):
        names = [
            self._create("2031-12-30").name,
            self._create("2031-12-31").name,
            self._create("2032-01-01").name,
        ]
        self.assertEqual(names, ["T2031-0001", "T2031-0002", "T2032-0001"])

    def test_a_number_given_is_kept_and_consumes_nothing(self):
        self.assertEqual(self._create("2031-06-01", name="OWN-7").name, "OWN-7")
        self.assertEqual(self._create("2031-06-01").name, "T2031-0001")
        batch = self.Numbered.with_context(ir_sequence_date="2031-06-01").create([{}, {}])
        self.assertEqual(batch.mapped("name"), ["T2031-0002", "T2031-0003"])

    def test_the_code_may_depend_on_the_values(self):
        self.assertEqual(self._create("2031-06-01", kind="b").name, "B-001")
        self.assertEqual(self._create("2031-06-01", kind="a").name, "T2031-0001")

    def test_restart_yearly_gives_date_ranges_to_a_module_s_year_prefixed_sequences(self):
        sequences = self.env["ir.sequence"].create([
            {"name": "Yearly", "code": "platform.test.yearly", "prefix": "Y%(year)s-"},
            {"name": "Plain", "code": "platform.test.plain", "prefix": "P-"},
        ])
        self.env["ir.model.data"].create([
            {"module": "platform_test", "name": "seq_%d" % index, "model": "ir.sequence",
             "res_id": sequence.id}
            for index, sequence in enumerate(sequences)
        ])
        self.env.flush_all()
        restart_yearly(self.env.cr, "platform_test")
        sequences.invalidate_recordset()
        self.assertEqual(sequences.mapped("prefix"), ["Y%(range_year)s-", "P-"])
        self.assertEqual(sequences.mapped("use_date_range"), [True, False])
