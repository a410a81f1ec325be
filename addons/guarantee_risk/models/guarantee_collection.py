import logging

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from odoo.addons.guarantee_platform.tools.cn_text import cn_date
from odoo.addons.guarantee_platform.tools.pdf_pipeline import PdfDocument

from .guarantee_collection_step import fill_template

_logger = logging.getLogger(__name__)

QUIET_CHANNELS = ("sms", "call")


class GuaranteeCollection(models.Model):
    """逾期催收: one overdue debt of a project (a fee, a repayment the bank reports), walked up
    the company's collection ladder until it is paid."""

    _name = "guarantee.collection"
    _description = "Overdue Collection"
    _inherit = ["mail.thread", "mail.activity.mixin", "guarantee.lock.mixin"]
    _order = "date_due, id"
    _check_company_auto = True

    _lock_action_fields = ("state", "date_paid")
    _lock_initial_state = "open"
    _lock_transitions = {"action_mark_paid": (("open",), "paid")}

    name = fields.Char(required=True)
    project_id = fields.Many2one("guarantee.project", required=True, index=True,
                                 ondelete="cascade", check_company=True)
    partner_id = fields.Many2one(related="project_id.partner_id", store=True, index=True)
    manager_id = fields.Many2one(related="project_id.manager_id", store=True)
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True,
                                 precompute=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # each origin is added by the addon that owns it (selection_add): fees by the contracts,
    # bank notices by the accounting
    origin = fields.Selection([], required=True, index=True)
    origin_ref = fields.Char(string="Origin Reference", required=True, index=True)
    amount_due = fields.Monetary(currency_field="currency_id", required=True)
    date_due = fields.Date(required=True, index=True)
    state = fields.Selection(
        [("open", "Collecting"), ("paid", "Paid"), ("closed", "Closed")],
        default="open", required=True, index=True, tracking=True, readonly=True,
    )
    date_paid = fields.Date(readonly=True)
    contact_ids = fields.One2many("guarantee.collection.contact", "collection_id",
                                  string="Contacts")

    _sql_constraints = [
        ("origin_unique", "unique(company_id, origin, origin_ref)",
         "This overdue debt is already being collected."),
    ]

    def action_mark_paid(self, date=None):
        if any(case.state != "open" for case in self):
            raise UserError(_("Only a debt being collected can be marked as paid."))
        self._unlocked().write(
            {"state": "paid", "date_paid": date or fields.Date.context_today(self)}
        )
        self.activity_ids.sudo().action_done()
        return True

    # ------------------------------------------------------------------ ladder

    @api.model
    def _cron_run_ladder(self):
        self.search([("state", "=", "open")])._run_ladder()

    def _is_paid(self):
        """Hook: True when the debt behind the case is settled (fees: in guarantee_contract)."""
        self.ensure_one()
        return False

    def _run_ladder(self, now=None):
        """Take every due step not yet done; stop a case whose debt is paid. SMS and calls
        inside the company's quiet hours wait for the first run after them, with one
        "deferred" line per step however many runs fall inside the quiet hours.

        A case that fails is rolled back alone, logged and taken again by the next run: one
        broken case (a partner without data a template needs, a provider down) never stops
        the collection of the others. Returns the cases that failed.
        """
        now = now or fields.Datetime.now()
        steps_by_company = {}
        failed = self.browse()
        for case in self.filtered(lambda c: c.state == "open"):
            if case.company_id not in steps_by_company:
                steps_by_company[case.company_id] = self.env["guarantee.collection.step"].search(
                    [("company_id", "=", case.company_id.id)])
            steps = steps_by_company[case.company_id]
            try:
                with self.env.cr.savepoint():
                    case._run_case_ladder(steps, now)
            except Exception:  # pylint: disable=broad-exception-caught  # logged, run goes on
                _logger.exception(
                    "Collection case %s (id %s) failed on %s; skipped until the next run.",
                    case.name, case.id, now,
                )
                failed |= case
        return failed

    def _run_case_ladder(self, steps, now):
        """Take the due ``steps`` of this case not yet done (see ``_run_ladder``)."""
        self.ensure_one()
        if self._is_paid():
            self.action_mark_paid(date=now.date())
            return
        days = (self._local(now).date() - self.date_due).days
        done = self.contact_ids.filtered(lambda c: c.state == "done").step_id
        deferred = self.contact_ids.filtered(lambda c: c.state == "deferred").step_id
        quiet = self._in_quiet_hours(now)
        for step in steps:
            if step.day > days or step in done:
                continue
            if quiet and step.channel in QUIET_CHANNELS:
                if step not in deferred:
                    self._contact(step, days, now, "deferred", _("Deferred: quiet hours."))
                continue
            getattr(self, "_step_" + step.channel)(step, days, now)

    def _local(self, now):
        tz = pytz.timezone(self.company_id.partner_id.tz or "Asia/Shanghai")
        return pytz.utc.localize(now).astimezone(tz)

    def _in_quiet_hours(self, now):
        company = self.company_id
        start, end = company.guarantee_quiet_start, company.guarantee_quiet_end
        local = self._local(now)
        hour = local.hour + local.minute / 60.0
        if start == end:
            return False
        return start <= hour or hour < end if start > end else start <= hour < end

    def _values(self, days):
        return {
            "partner": self.partner_id.name,
            "project": self.project_id.name,
            "amount": format_amount(self.env, self.amount_due, self.currency_id),
            "days": days,
            "due_date": self.date_due,
            "company": self.company_id.name,
        }

    def _contact(self, step, days, now, state, message, **values):
        return self.env["guarantee.collection.contact"].sudo().create(dict(
            values, collection_id=self.id, step_id=step.id, channel=step.channel, date=now,
            day=days, state=state, message=message,
        ))

    def _step_sms(self, step, days, now):
        text = fill_template(step.template, self._values(days))
        number = self.partner_id.mobile or self.partner_id.phone
        if not number:
            return self._contact(step, days, now, "failed", _("No mobile number."))
        template = step._sms_template(self._values(days))
        message = self.with_company(self.company_id).sudo().with_context(
            guarantee_sms_template=template)._message_sms(text, partner_ids=self.partner_id.ids)
        sms = self.env["sms.sms"].sudo().search([("mail_message_id", "=", message.id)])
        ok = sms and all(s.state in ("pending", "sent") for s in sms)
        message_id = sms[:1].guarantee_message_id
        return self._contact(step, days, now, "done" if ok else "failed", text,
                             sms_number=number, sms_message_id=message_id or False,
                             delivery_state="pending" if message_id else False)

    def _step_email(self, step, days, now):
        text = fill_template(step.template, self._values(days))
        if not self.partner_id.email:
            return self._contact(step, days, now, "failed", _("No e-mail address."))
        self.sudo().message_post(
            body=text, subject=step.name, partner_ids=self.partner_id.ids,
            message_type="comment", subtype_xmlid="mail.mt_comment",
        )
        return self._contact(step, days, now, "done", text)

    def _task(self, step, days, now, user):
        text = fill_template(step.template, self._values(days))
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=now.date(), summary=step.name,
            note=text, user_id=user.id,
        )
        return self._contact(step, days, now, "done", text, activity_user_id=user.id)

    def _step_call(self, step, days, now):
        return self._task(step, days, now, self.manager_id or self.env.user)

    def _step_legal(self, step, days, now):
        risk = self.env.ref("guarantee_base.group_guarantee_risk").users.filtered(
            lambda u: self.company_id in u.company_ids and not u.share)[:1]
        return self._task(step, days, now, risk or self.manager_id or self.env.user)

    def _step_letter(self, step, days, now):
        text = fill_template(step.template, self._values(days))
        case = self._in_document_language()
        attachment = self.env["ir.attachment"].sudo().create({
            "name": case.env._("Demand letter %(case)s day %(days)s.pdf", case=self.name,
                               days=days),
            "raw": case._demand_letter_pdf(text, now),
            "res_model": self._name,
            "res_id": self.id,
            "mimetype": "application/pdf",
        })
        self.sudo().message_post(body=text, attachment_ids=attachment.ids)
        return self._contact(step, days, now, "done", text, attachment_id=attachment.id)

    def _in_document_language(self):
        """The case as superuser in Chinese when installed: letters are Chinese documents,
        whoever (often the scheduler, in English) produces them."""
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else self.env.lang
        return self.sudo().with_context(lang=lang)

    def _demand_letter_pdf(self, text, now):
        """The demand letter (催收函) through the one PDF pipeline: addressee, the step's text,
        the debt, and the company with the date."""
        self.ensure_one()
        _ = self.env._
        title = _("Demand Letter")
        doc = PdfDocument(title, header=self.company_id.name, footer=self.name)
        doc.text(title, "title")
        doc.text(_("%(partner)s:", partner=self.partner_id.name))
        doc.text(text)
        doc.table([
            [_("Project"), _("Amount Due"), _("Due Date")],
            [self.project_id.name, format_amount(self.env, self.amount_due, self.currency_id),
             cn_date(self.date_due)],
        ], align_right_from=1)
        doc.text(self.company_id.name)
        doc.text(cn_date(self._local(now).date()))
        return doc.build()

    @api.model
    def _open_for(self, project, origin, origin_ref, amount, date_due):
        """The case of this debt, opened once however often it is reported."""
        case = self.sudo().search([("company_id", "=", project.company_id.id),
                                   ("origin", "=", origin), ("origin_ref", "=", origin_ref)])
        if case:
            return case
        return self.sudo().create({
            "name": _("%(project)s overdue since %(date)s", project=project.name, date=date_due),
            "project_id": project.id,
            "origin": origin,
            "origin_ref": origin_ref,
            "amount_due": amount,
            "date_due": date_due,
        })
