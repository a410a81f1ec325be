from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.guarantee_base.models.guarantee_project import RISK_CLASSES

from .guarantee_risk_signal import SEVERITIES, SIGNAL_TYPES


class GuaranteeWarningRule(models.Model):
    """预警规则 as data: which signals (type, amount, keyword) get which severity, suggested
    risk class, who is told by which channel, and how many days they have to respond."""

    _name = "guarantee.warning.rule"
    _description = "Warning Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="The first matching rule applies.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    signal_type = fields.Selection(SIGNAL_TYPES, string="Signal Type", required=True)
    min_amount = fields.Monetary(
        string="From Amount", currency_field="currency_id",
        help="Applies only to signals with at least this amount at stake (0: any).",
    )
    keyword = fields.Char(help="Applies only when the description contains this word.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    suggested_risk_class = fields.Selection(RISK_CLASSES)
    response_days = fields.Integer(default=3, help="Days the recipients have to respond.")
    notify_manager = fields.Boolean(string="Project Manager (A-Role)", default=True)
    notify_risk = fields.Boolean(string="Risk Officers", default=True)
    notify_executive = fields.Boolean(string="Executives")
    by_activity = fields.Boolean(string="Activity", default=True)
    by_email = fields.Boolean(string="E-mail", default=True)
    by_sms = fields.Boolean(string="SMS")

    @api.constrains("response_days", "min_amount")
    def _check_values(self):
        for rule in self:
            if rule.response_days < 0 or rule.min_amount < 0:
                raise ValidationError(
                    _("Response days and amounts of a warning rule cannot be negative.")
                )

    def _match(self, signal):
        """The first of these rules that applies to ``signal``, or an empty recordset."""
        for rule in self.sorted(lambda r: (r.sequence, r.id)):
            if rule.signal_type != signal.signal_type:
                continue
            if rule.min_amount and signal.amount < rule.min_amount:
                continue
            if rule.keyword and rule.keyword not in (signal.description or ""):
                continue
            return rule
        return self.browse()

    def _recipients(self, signal):
        """The users told of ``signal``: its A-role, risk officers, executives."""
        self.ensure_one()
        users = self.env["res.users"]
        if self.notify_manager:
            users |= signal.project_id.manager_id
        groups = []
        if self.notify_risk:
            groups.append("guarantee_base.group_guarantee_risk")
        if self.notify_executive:
            groups.append("guarantee_base.group_guarantee_executive")
        for xmlid in groups:
            users |= self.env.ref(xmlid).users.filtered(
                lambda u: signal.company_id in u.company_ids and not u.share
            )
        return users

    def _notify(self, signal):
        """Tell the recipients by activity, e-mail and SMS as the rule says."""
        self.ensure_one()
        users = self._recipients(signal)
        if not users:
            return
        signal = signal.sudo().with_company(signal.company_id)
        summary = _("Warning: %(signal)s", signal=signal.display_name)
        text = _("%(severity)s warning on %(project)s: %(description)s. Respond by "
                 "%(deadline)s.",
                 severity=dict(self._fields["severity"]._description_selection(self.env))[
                     self.severity],
                 project=signal.project_id.name,
                 description=signal.description or "-", deadline=signal.response_deadline)
        if self.by_activity:
            for user in users:
                signal.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=signal.response_deadline,
                    summary=summary, note=text, user_id=user.id,
                )
        partners = users.partner_id
        if self.by_email:
            with_email = partners.filtered("email")
            if with_email:
                self.env["mail.mail"].sudo().create({
                    "subject": summary,
                    "body_html": "<p>%s</p>" % text,
                    "recipient_ids": [fields.Command.set(with_email.ids)],
                    "model": signal._name,
                    "res_id": signal.id,
                    "auto_delete": False,
                })
        if self.by_sms:
            with_mobile = partners.filtered(lambda p: p.mobile or p.phone)
            if with_mobile:
                signal._message_sms(text, partner_ids=with_mobile.ids)
