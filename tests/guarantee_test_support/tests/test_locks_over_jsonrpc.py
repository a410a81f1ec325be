import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.guarantee_accounting.tests.common import GuaranteeAccountingCase

MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
FREE_PREFIXES = ("message_", "activity_", "website_message_", "rating_")


@tagged("post_install", "-at_install")
class TestLocksOverJsonRpc(GuaranteeAccountingCase, HttpCase):
    """Every stateful guarantee record, in the state that locks it: each locked field is
    refused over JSON-RPC and through the ORM, for every role, and nothing changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tier.definition"].search(
            [("model", "in", ("guarantee.project", "guarantee.project.extension"))]
        ).active = False
        cls.roles = cls.pm_a | cls.risk | cls.committee | cls.finance | cls.executive | cls.gadmin
        cls.project = cls._project_in("active")

    # ------------------------------------------------------------------ records

    def _locked_records(self):
        """(record, state it is locked in) for every stateful guarantee model."""
        project = self.project
        extension = self.env["guarantee.project.extension"].create(
            {"project_id": project.id, "date_end_new": "2027-06-30", "reason": "回款周期延长"}
        )
        extension.action_submit()
        extension.action_approve()
        collateral = self.env["guarantee.collateral"].create({
            "project_id": project.id, "name": "杭州市西湖区某路1号房产抵押", "kind": "mortgage",
            "asset_type": "real_estate", "owner_id": self.customer.id,
            "appraised_value": 2_000_000, "registration_no": "浙(2026)杭州市不动产证明第1号",
            "registration_authority": "杭州市不动产登记中心", "registration_date": "2026-01-02",
        })
        collateral.action_register()
        change = self.env["guarantee.risk.classification"].create(
            {"project_id": project.id, "new_class": "special", "reason": "逾期十天"}
        )
        change.with_user(self.risk).action_approve()
        review = self.env.ref("guarantee_base.review_approved_demo")
        contract = self.env["guarantee.contract"].search([("state", "=", "signed")], limit=1)
        margin = self._margin_done(project)
        paid_fee = self._fee_of(project)
        paid_fee.with_user(self.finance).action_mark_paid()
        invoiced_fee = self._fee_of(project, "2026-07-01")
        invoiced_fee.with_user(self.finance).action_create_invoice()
        approved = self._approved_compensation(self._project_in("active"))
        paid = self._paid_compensation(project)
        recovery = self.env["guarantee.recovery"].create(
            {"project_id": project.id, "kind": "cash", "amount": 1000.0}
        )
        recovery.action_post()
        loss = self.env["guarantee.loss"].create({
            "project_id": project.id, "amount": 1000.0, "reason": "无可执行财产",
            "evidence_ids": [(6, 0, self.evidence.ids)],
        })
        loss.action_post()
        self.env["guarantee.balance.snapshot"]._take_snapshot(date(2026, 6, 30), self.company)
        provisions = self.env["guarantee.reserve.provision"]._provision(
            self.company, date(2026, 6, 1), date(2026, 6, 30)
        )
        order = paid.payment_order_ids
        return [
            (project, "compensated"), (extension, "approved"), (collateral, "registered"),
            (change, "approved"), (review, "decided"), (review.vote_ids[:1], "decided"),
            (contract, "signed"), (margin, "done"), (paid_fee, "paid"),
            (invoiced_fee, "invoiced"), (approved, "approved"), (paid, "paid"),
            (recovery, "posted"), (loss, "posted"), (provisions[:1], "always"), (order, "done"),
        ]

    def _margin_done(self, project):
        margin = self.env["guarantee.margin"].create(
            {"project_id": project.id, "kind": "receipt", "amount": 50_000, "date": "2026-01-03"}
        )
        margin.with_user(self.finance).action_done()
        return margin

    def _fee_of(self, project, day="2026-01-01"):
        return self.env["guarantee.fee"].create({
            "project_id": project.id, "date_from": day, "date_to": "2026-12-31",
            "date_due": day, "amount": 7500.0,
        })

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _locked_fields(record, state):
        if state in record._lock_readonly_states or state in ("invoiced", "always"):
            names = {
                name for name, field in record._fields.items()
                if field.store and name not in MAGIC and not name.startswith(FREE_PREFIXES)
            }
        else:
            names = record._lock_fields_for(state)
        names |= record._lock_action_field_names()
        return sorted(name for name in names if name in record._fields and name not in MAGIC)

    def _other_value(self, record, name):
        """A value of the right type that differs from the current one."""
        field = record._fields[name]
        current = record.sudo()[name]
        kind = field.type
        if kind in ("char", "text", "html"):
            return "篡改 %s" % name
        if kind in ("float", "monetary", "integer"):
            return (current or 0) + 7
        if kind == "boolean":
            return not current
        if kind == "date":
            return "2031-01-01"
        if kind == "datetime":
            return "2031-01-01 00:00:00"
        if kind == "selection":
            options = [value for value, _label in field._description_selection(self.env)]
            return next((value for value in options if value != current), False)
        if kind == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "!=", current.id)], limit=1)
            return other.id
        if kind in ("many2many", "one2many"):
            return [(5, 0, 0)] if current else [(6, 0, self.evidence.ids)]
        if kind == "binary":
            return base64.b64encode(b"forged").decode()
        return {"forged": True}

    def _snapshot(self, records):
        records.env.invalidate_all()
        return {
            (record._name, record.id): record.sudo().read(
                [n for n in self._locked_fields(record, state) if record._fields[n].store]
            )[0]
            for record, state in self._pairs
        }

    def _rpc_write(self, user, record, vals):
        """The name of the exception the server answered, or None when it wrote."""
        try:
            self.make_jsonrpc_request("/web/dataset/call_kw", {
                "model": record._name, "method": "write", "args": [record.ids, vals],
                "kwargs": {"context": {"guarantee_unlocked": record._name}},
            })
        except JsonRpcException as error:
            return str(error)
        return None

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    # ------------------------------------------------------------------ tests

    def test_every_locked_field_of_every_stateful_model_is_refused_over_jsonrpc(self):
        self._pairs = self._locked_records()
        for record, state in self._pairs:
            self.assertTrue(record, "a %s in state %s exists" % (record._name, state))
            self.assertEqual(record._lock_state(), state, record._name)
        before = self._snapshot(self.env["guarantee.project"])
        # Field by field, as the guarantee administrator, who may write every model: what
        # refuses is the lock, not the access rights.
        self._login(self.gadmin)
        checked = 0
        for record, state in self._pairs:
            for name in self._locked_fields(record, state):
                with self.subTest(model=record._name, field=name):
                    error = self._rpc_write(self.gadmin, record, {name: self._other_value(
                        record, name)})
                    self.assertEqual(error, "odoo.exceptions.UserError")
                    checked += 1
        self.assertGreater(checked, 150)
        # Every role, all locked fields of each record at once: refused, by the lock or by
        # the access rights.
        for user in self.roles:
            self._login(user)
            for record, state in self._pairs:
                vals = {name: self._other_value(record, name)
                        for name in self._locked_fields(record, state)}
                with self.subTest(user=user.login, model=record._name):
                    self.assertIn(self._rpc_write(user, record, vals),
                                  ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"))
        for record, _state in self._pairs:
            self.assertEqual(self._snapshot(record)[(record._name, record.id)],
                             before[(record._name, record.id)], record._name)

    def test_every_locked_field_is_refused_through_the_orm_for_every_role(self):
        self._pairs = self._locked_records()
        before = self._snapshot(self.env["guarantee.project"])
        for record, state in self._pairs:
            for name in self._locked_fields(record, state):
                value = self._other_value(record, name)
                for user in self.roles:
                    with self.subTest(user=user.login, model=record._name, field=name):
                        with self.assertRaises((UserError, AccessError)):
                            record.with_user(user).write({name: value})
                with self.assertRaises(UserError):
                    record.sudo().write({name: value})
        self.assertEqual(self._snapshot(self.env["guarantee.project"]), before)

    def test_locked_records_cannot_be_deleted_over_jsonrpc(self):
        self._pairs = self._locked_records()
        self._login(self.gadmin)
        for record, state in self._pairs:
            if record._lock_unlink_states is None:
                continue
            with self.subTest(model=record._name, state=state):
                with self.assertRaises(JsonRpcException):
                    self.make_jsonrpc_request("/web/dataset/call_kw", {
                        "model": record._name, "method": "unlink", "args": [record.ids],
                        "kwargs": {},
                    })
                self.assertTrue(record.exists())
