from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..tools.masking import mask_account, mask_id_number, mask_phone
from .common import TestModelCase


@tagged("post_install", "-at_install")
class TestMasking(TestModelCase):
    """Personal data masked in every answer to a user, on a test model; masks by hand."""

    _test_models = ("PlatformTestPerson",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.model.access"].create({
            "name": "platform test person",
            "model_id": cls.env["ir.model"]._get_id("platform.test.person"),
            "group_id": cls.env.ref("base.group_user").id,
            "perm_read": True, "perm_write": True, "perm_create": True,
        })
        cls.user = new_test_user(
            cls.env, "t_platform_mask", groups="base.group_user,base.group_allow_export"
        )
        Person = cls.env["platform.test.person"]
        cls.person = Person.create({
            "name": "张三", "id_number": "11010519491231002X", "phone": "138 1234 5678",
            "account": "6222 0000 1111 2222",
        })
        cls.public = Person.create({"name": "公开", "id_number": "11010519491231002X",
                                    "is_public": True})

    def test_masks_keep_what_identifies_without_revealing(self):
        self.assertEqual(mask_id_number("11010519491231002X"), "110105********002X")
        self.assertEqual(mask_phone("138 1234 5678"), "138 **** 5678")
        self.assertEqual(mask_phone("13812345678"), "138****5678")
        self.assertEqual(mask_account("6222 0000 1111 2222"), "************2222")
        self.assertEqual(mask_id_number("12345"), "*****", "too short to keep anything")
        self.assertFalse(mask_phone(False))

    def test_a_user_reads_masked_values_the_superuser_full_ones(self):
        as_user = self.person.with_user(self.user)
        read = as_user.read(["id_number", "phone", "account", "name"])[0]
        self.assertEqual(read["id_number"], "110105********002X")
        self.assertEqual(read["phone"], "138 **** 5678")
        self.assertEqual(read["account"], "************2222")
        self.assertEqual(read["name"], "张三")
        self.assertEqual(self.person.read(["id_number"])[0]["id_number"], "11010519491231002X")

    def test_a_record_may_show_its_value_whole(self):
        read = self.public.with_user(self.user).read(["id_number"])[0]
        self.assertEqual(read["id_number"], "11010519491231002X")

    def test_exports_are_masked(self):
        exported = self.person.with_user(self.user).export_data(["name", "id_number"])
        self.assertEqual(exported["datas"], [["张三", "110105********002X"]])

    def test_groups_show_masked_labels_and_refuse_aggregates(self):
        Person = self.env["platform.test.person"].with_user(self.user)
        groups = Person.read_group([("id", "=", self.person.id)], ["id_number"], ["id_number"])
        self.assertEqual(groups[0]["id_number"], "110105********002X")
        self.assertIn(("id", "in", [self.person.id]), groups[0]["__domain"])
        self.assertNotIn("11010519491231002X", str(groups[0]["__domain"]))
        with self.assertRaisesRegex(AccessError, r"^Personal data \(phone\) can only be counted"):
            Person.read_group([], ["phone:max"], ["name"])

    def test_tracking_stores_masked_values(self):
        field = self.person.fields_get(["id_number"])["id_number"]
        values = self.env["mail.tracking.value"]._create_tracking_values(
            "11010519491231002X", "110105194912310037", "id_number", field, self.person
        )
        self.assertEqual(values["old_value_char"], "110105********002X")
        self.assertEqual(values["new_value_char"], "110105********0037")
