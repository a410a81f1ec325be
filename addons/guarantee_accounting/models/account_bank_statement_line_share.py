from odoo import models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    def _guarantee_candidate_moves(self, tokens):
        """Also the entries of accepted claims named in the statement (a party paying its
        claim) and of recoveries shared back whose payment order is named."""
        moves = super()._guarantee_candidate_moves(tokens)
        if not tokens:
            return moves
        company_domain = [("company_id", "=", self.company_id.id)]
        claims = self.env["guarantee.share.claim"].sudo().search(
            company_domain + [("state", "=", "accepted"), ("name", "in", tokens)])
        orders = self.env["guarantee.payment.order"].sudo().search(company_domain + [
            ("state", "=", "done"), ("share_return_id", "!=", False),
            "|", ("name", "in", tokens), ("request_id", "in", tokens),
        ])
        return moves | claims.move_id | orders.share_return_id.move_id
