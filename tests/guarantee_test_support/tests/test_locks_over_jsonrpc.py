import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.guarantee_accounting.tests.common import GuaranteeAccountingCase

from .locked_fields import ACTION_ONLY, ALL, DELETABLE_IN, locked_in

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
        cls.company.write({"guarantee_committee_quorum": 3, "guarantee_committee_majority": 66.67})
        group = "guarantee_base.group_guarantee_committee"
        cls.members = cls.committee | new_test_user(cls.env, "t_member_2", groups=group) | (
            new_test_user(cls.env, "t_member_3", groups=group)
        )

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
        change.action_submit()
        change.with_user(self.risk).validate_tier()
        credit_line = self.env["guarantee.credit.line"].create({
            "partner_id": self.customer.id, "amount": 5_000_000, "date_start": "2026-01-01",
            "date_end": "2026-12-31",
        })
        credit_line.action_confirm()
        signal = self.env["guarantee.risk.signal"].create({
            "project_id": project.id, "date": "2026-03-01", "kind": "overdue",
            "severity": "low", "description": "逾期五天",
        })
        signal.with_user(self.risk).action_handle()
        review = self._decided_review()
        contract = self._signed_contract()
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
            (change, "approved"), (credit_line, "confirmed"), (signal, "handled"),
            (review, "decided"), (review.vote_ids[:1], "decided"),
            (contract, "signed"), (margin, "done"), (paid_fee, "paid"),
            (invoiced_fee, "invoiced"), (approved, "approved"), (paid, "paid"),
            (recovery, "posted"), (loss, "posted"), (provisions[:1], "always"), (order, "done"),
        ]

    def _decided_review(self):
        project = self._create_project()
        for step in ("accept", "start_investigation", "submit_review"):
            project._do_transition(step)
        members = self.members
        review = self.env["guarantee.review"].create({
            "project_id": project.id, "chair_id": self.committee.id, "location": "三楼会议室",
            "vote_ids": [(0, 0, {"member_id": member.id}) for member in members],
        })
        review.action_start_voting()
        review.vote_ids.write({"vote": "approve", "opinion": "同意"})
        review.action_decide()
        return review

    def _signed_contract(self):
        self.env["guarantee.esign.provider"].search([]).active = False  # signed on paper
        approved = self._project_in("approved")
        approved.action_generate_contracts()
        contract = approved.contract_ids.filtered(lambda c: c.kind == "entrusted")
        contract.action_send_for_signing()
        contract.action_mark_signed()
        return contract

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
        """What the hand-written list says ``record`` locks in ``state``, with the
        read-only computed and related fields (never typed in, by the mixin's rule)."""
        stored = {
            name for name, field in record._fields.items()
            if field.store and name not in MAGIC and not name.startswith(FREE_PREFIXES)
        }
        hand = locked_in(record._name, state)
        if hand == ALL:
            hand = stored
        elif isinstance(hand, tuple):  # all_but(…): every field but the open ones
            hand = stored - hand[1]
        names = set(hand) | ACTION_ONLY[record._name]
        names |= {
            name for name, field in record._fields.items()
            if field.readonly and (field.compute or field.related)
        }
        return sorted(
            name for name in names
            if name in record._fields and name not in MAGIC
            and not name.startswith(FREE_PREFIXES)
        )

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
            (record._name, record.id): record.sudo().read([
                n for n in self._locked_fields(record, state)
                if record._fields[n].store and not record._fields[n].compute
                and record._fields[n].type not in ("one2many", "many2many")
            ])[0]
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

    def _writer(self, record):
        """The first role whose access rights and record rules let it write ``record``."""
        return next(
            (user for user in self.roles if record.with_user(user).has_access("write")),
            None,
        )

    def _assert_orm_refused(self, record, vals):
        try:
            record.write(vals)
        except (UserError, AccessError):
            return
        self.fail("%s accepted %s from %s" % (record, vals, record.env.user.login))

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    # ------------------------------------------------------------------ tests

    def test_every_locked_field_of_every_stateful_model_is_refused_over_jsonrpc(self):
        self._pairs = self._locked_records()
        for record, state in self._pairs:
            self.assertTrue(record, "a %s in state %s exists" % (record._name, state))
            self.assertEqual(record._lock_state(), state, record._name)
        without_writer = {r._name for r, _state in self._pairs if not self._writer(r)}
        self.assertEqual(without_writer, {"guarantee.reserve.provision"},
                         "every other model has a role that could write it but for the lock")
        before = self._snapshot(self.env["guarantee.project"])
        # Field by field, as a role that may write the record: what refuses is the lock, not
        # the access rights.
        checked = 0
        for user in self.roles:
            writable = [(record, state) for record, state in self._pairs
                        if self._writer(record) == user]
            if writable:
                self._login(user)
            for record, state in writable:
                for name in self._locked_fields(record, state):
                    with self.subTest(user=user.login, model=record._name, field=name):
                        error = self._rpc_write(user, record, {name: self._other_value(
                            record, name)})
                        self.assertEqual(error, "odoo.exceptions.UserError")
                        checked += 1
        # Nobody may write a reserve provision at all: refused, whatever refuses it.
        self._login(self.gadmin)
        for record, state in self._pairs:
            if self._writer(record):
                continue
            for name in self._locked_fields(record, state):
                with self.subTest(model=record._name, field=name):
                    self.assertIn(self._rpc_write(self.gadmin, record, {
                        name: self._other_value(record, name)
                    }), ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"))
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
            names = self._locked_fields(record, state)
            writer = self._writer(record)
            # field by field as the role that may write it, and as superuser
            for name in names:
                value = self._other_value(record, name)
                for env_record in filter(None, (writer and record.with_user(writer),
                                                record.sudo())):
                    with self.subTest(user=env_record.env.user.login, model=record._name,
                                      field=name):
                        self._assert_orm_refused(env_record, {name: value})
            # every role, all the locked fields at once
            vals = {name: self._other_value(record, name) for name in names}
            for user in self.roles:
                with self.subTest(user=user.login, model=record._name):
                    self._assert_orm_refused(record.with_user(user), vals)
        self.assertEqual(self._snapshot(self.env["guarantee.project"]), before)

    def test_locked_records_cannot_be_deleted_over_jsonrpc(self):
        self._pairs = self._locked_records()
        self._login(self.gadmin)
        for record, state in self._pairs:
            if DELETABLE_IN[record._name] is None:
                continue  # the model's own rules decide (tested with the model)
            self.assertNotIn(state, DELETABLE_IN[record._name])
            with self.subTest(model=record._name, state=state):
                with self.assertRaises(JsonRpcException):
                    self.make_jsonrpc_request("/web/dataset/call_kw", {
                        "model": record._name, "method": "unlink", "args": [record.ids],
                        "kwargs": {},
                    })
                self.assertTrue(record.exists())
