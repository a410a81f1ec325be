from odoo import _, api, fields, models
from odoo.exceptions import UserError


class GuaranteeEntryMixin(models.AbstractModel):
    """A guarantee record posted as one journal entry, at most once, and reversed (never
    edited or deleted) when it is cancelled. The models using it also use
    ``guarantee.lock.mixin`` and declare ``move_id`` among the fields only actions write."""

    _name = "guarantee.entry.mixin"
    _description = "Guarantee Record with a Journal Entry"

    move_id = fields.Many2one(
        "account.move",
        string="Journal Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    _sql_constraints = [
        ("move_unique", "unique(move_id)", "A journal entry belongs to one guarantee record."),
    ]

    def _guarantee_post_move(self, journal, date, ref, lines, project=None):
        """Create and post the entry of this record from ``lines``
        [(account, debit, credit, partner)], and link it. Refused if already posted."""
        self.ensure_one()
        if self.move_id:
            raise UserError(
                _("%(record)s is already posted in %(move)s.",
                  record=self.display_name, move=self.move_id.name)
            )
        company = journal.company_id
        missing = company._guarantee_accounting_missing()
        if missing:
            raise UserError(
                _("The guarantee accounting settings of %(company)s are incomplete: %(missing)s.",
                  company=company.name, missing=", ".join(missing))
            )
        move = self.env["account.move"].sudo().create({
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": company.id,
            "date": date,
            "ref": ref,
            "guarantee_project_id": project.id if project else False,
            "line_ids": [
                (0, 0, {
                    "account_id": account.id,
                    "partner_id": partner.id if partner else False,
                    "name": ref,
                    "debit": debit,
                    "credit": credit,
                })
                for account, debit, credit, partner in lines
            ],
        })
        move.with_context(guarantee_seal_entry=True).action_post()
        self.sudo()._unlocked().move_id = move
        return move

    def _guarantee_reverse_move(self, reason, move=None):
        """Reverse the entry of this record with Odoo's reversal, dated today, the reason in
        its reference; the two entries are reconciled where the accounts allow it."""
        self.ensure_one()
        move = move or self.move_id
        if not move or move.reversal_move_ids:
            return move.reversal_move_ids[:1] if move else move
        if not (reason or "").strip():
            raise UserError(_("Give the reason for reversing %(move)s.", move=move.name))
        reversal = move.sudo()._reverse_moves(
            [{
                "date": fields.Date.context_today(self),
                "ref": _("Reversal of %(move)s: %(reason)s", move=move.name, reason=reason),
            }],
            cancel=True,
        )
        if "message_ids" in self._fields:
            self.message_post(
                body=_("%(move)s reversed by %(reversal)s, by %(user)s: %(reason)s",
                       move=move.name, reversal=reversal.name, user=self.env.user.name,
                       reason=reason)
            )
        return reversal

    def _guarantee_cancel_action(self, reason):
        """Without a reason, the dialog that asks for it; with one, None (go ahead)."""
        if (reason or "").strip():
            return None
        return {
            "type": "ir.actions.act_window",
            "name": _("Reason for the Reversal"),
            "res_model": "guarantee.reversal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": self._name, "default_res_ids": self.ids},
        }

    @api.readonly
    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
