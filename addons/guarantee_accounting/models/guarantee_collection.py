from odoo import fields, models


class GuaranteeCollection(models.Model):
    """Instalments a bank reports overdue (guarantee.bank.notification) are collected too."""

    _inherit = "guarantee.collection"

    origin = fields.Selection(selection_add=[("bank", "Bank Notice")],
                              ondelete={"bank": "cascade"})
