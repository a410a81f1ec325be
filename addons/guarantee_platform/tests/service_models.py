"""Small models that stand in for the business models in the platform's tests (loaded with
OCA's odoo-test-helper FakeModelLoader, never installed)."""

from odoo import fields, models


class PlatformTestConnector(models.Model):
    """A connector of a made-up kind: what a bank or SMS gateway record is to the framework."""

    _name = "platform.test.connector"
    _description = "Platform Test Connector"
    _inherit = ["guarantee.connector.mixin"]
    _connector_kind = "platform_test"

    webhook_secret = fields.Char(secret=True)

    def _inbound_secret(self):
        return self.webhook_secret


class PlatformTestSealed(models.Model):
    """A record sealed in the integrity chain: what a signed contract is to the chain."""

    _name = "platform.test.sealed"
    _description = "Platform Test Sealed Record"

    name = fields.Char()
    amount = fields.Float()

    def _guarantee_chain_payload(self):
        return {"name": self.name, "amount": self.amount}


class PlatformTestAudited(models.Model):
    """A record under an audit rule, with a field restricted to system administrators."""

    _name = "platform.test.audited"
    _description = "Platform Test Audited Record"

    name = fields.Char()
    secret_note = fields.Char(groups="base.group_system")
