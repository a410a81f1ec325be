from odoo.tests import BaseCase, tagged

from ..tools.addresses import address_allowed, parse_networks


@tagged("post_install", "-at_install")
class TestAddresses(BaseCase):
    def test_an_empty_list_allows_any_address(self):
        self.assertTrue(address_allowed("203.0.113.7", ""))
        self.assertTrue(address_allowed("203.0.113.7", None))

    def test_an_address_inside_a_network_is_allowed_and_outside_refused(self):
        allow = "127.0.0.1,\n198.51.100.0/24"
        self.assertTrue(address_allowed("198.51.100.255", allow))
        self.assertTrue(address_allowed("127.0.0.1", allow))
        self.assertFalse(address_allowed("198.51.101.0", allow))
        self.assertFalse(address_allowed("::1", allow))

    def test_an_unreadable_address_is_refused_when_a_list_is_set(self):
        self.assertFalse(address_allowed("", "127.0.0.1"))
        self.assertFalse(address_allowed("localhost", "127.0.0.1"))

    def test_a_bad_entry_is_named(self):
        with self.assertRaises(ValueError) as caught:
            parse_networks("10.0.0.0/8, 10.0.0.300")
        self.assertEqual(str(caught.exception), "10.0.0.300")
