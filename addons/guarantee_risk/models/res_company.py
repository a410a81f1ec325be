from collections import namedtuple

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import classification, regulatory

# What the limits check reads of a company, cached per worker: reading it cold from the
# company would load every column of res_company (hundreds), which cost more than the check.
LimitSettings = namedtuple(
    "LimitSettings",
    "currency_id net_assets_source net_assets mainly_small_micro party_limit group_limit "
    "has_controllers",
)
LIMIT_SETTING_FIELDS = {
    "currency_id",
    "guarantee_net_assets_source",
    "guarantee_net_assets",
    "guarantee_mainly_small_micro",
    "guarantee_single_party_limit",
    "guarantee_group_limit",
    "guarantee_controller_partner_ids",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    guarantee_quiet_start = fields.Float(
        string="Quiet Hours From", default=21.0,
        help="No collection SMS or call task from this hour (company time zone)…",
    )
    guarantee_quiet_end = fields.Float(string="Quiet Hours Until", default=8.0,
                                       help="…until this hour.")

    # Regulatory limits
    guarantee_net_assets_source = fields.Selection(
        [("config", "Configured Amount"), ("ledger", "Ledger (Assets − Liabilities)")],
        string="Net Assets From",
        default="config",
        required=True,
    )
    guarantee_net_assets = fields.Monetary(
        string="Net Assets",
        currency_field="currency_id",
        help="Net assets used for the leverage and concentration limits. While they are not "
        "positive, financing guarantees cannot be approved.",
    )
    guarantee_mainly_small_micro = fields.Boolean(
        string="Mainly Serves Small/Micro and Agriculture",
        help="A company whose guarantees mainly serve small and micro enterprises and 三农 may "
        "reach a leverage of 15 instead of 10.",
    )
    guarantee_single_party_limit = fields.Float(
        string="Single Party Limit (% of Net Assets)", default=10.0
    )
    guarantee_group_limit = fields.Float(
        string="Related Group Limit (% of Net Assets)", default=15.0
    )
    guarantee_controller_partner_ids = fields.Many2many(
        "res.partner",
        "res_company_guarantee_controller_rel",
        "company_id",
        "partner_id",
        string="Controlling Shareholders and Actual Controllers",
        help="The company may not guarantee these parties.",
    )
    # Expiry reminders
    guarantee_registration_reminder_days = fields.Integer(
        string="Registration Expiry Reminder (days)", default=30
    )
    guarantee_insurance_reminder_days = fields.Integer(
        string="Insurance Expiry Reminder (days)", default=30
    )
    # Classification bands: first day overdue of each class
    guarantee_class_special_days = fields.Integer(
        string="Special Mention From (days overdue)",
        default=classification.DEFAULT_BANDS["special"],
    )
    guarantee_class_substandard_days = fields.Integer(
        string="Substandard From (days overdue)",
        default=classification.DEFAULT_BANDS["substandard"],
    )
    guarantee_class_doubtful_days = fields.Integer(
        string="Doubtful From (days overdue)",
        default=classification.DEFAULT_BANDS["doubtful"],
    )
    guarantee_class_loss_days = fields.Integer(
        string="Loss From (days overdue)", default=classification.DEFAULT_BANDS["loss"]
    )

    @api.constrains(
        "guarantee_net_assets",
        "guarantee_single_party_limit",
        "guarantee_group_limit",
        "guarantee_registration_reminder_days",
        "guarantee_insurance_reminder_days",
    )
    def _check_guarantee_limits(self):
        for company in self:
            if company.guarantee_net_assets < 0:
                raise ValidationError(_("Net assets cannot be negative."))
            if not (
                0 < company.guarantee_single_party_limit <= regulatory.SINGLE_PARTY_LIMIT_PCT
            ) or not (0 < company.guarantee_group_limit <= regulatory.RELATED_GROUP_LIMIT_PCT):
                raise ValidationError(
                    _(
                        "The concentration limits may only be as strict as the law or stricter: "
                        "one party above 0%% and at most %(party).0f%%, a related group above 0%% "
                        "and at most %(group).0f%% of net assets.",
                        party=regulatory.SINGLE_PARTY_LIMIT_PCT,
                        group=regulatory.RELATED_GROUP_LIMIT_PCT,
                    )
                )
            if (
                min(
                    company.guarantee_registration_reminder_days,
                    company.guarantee_insurance_reminder_days,
                )
                < 0
            ):
                raise ValidationError(_("Reminder days cannot be negative."))

    @api.constrains(
        "guarantee_class_special_days",
        "guarantee_class_substandard_days",
        "guarantee_class_doubtful_days",
        "guarantee_class_loss_days",
    )
    def _check_guarantee_class_bands(self):
        for company in self:
            bands = company._guarantee_class_bands()
            days = [bands[c] for c in classification.CLASS_ORDER[1:]]
            if days[0] < 1 or days != sorted(set(days)):
                raise ValidationError(
                    _(
                        "The days-overdue bands must start at 1 day or more and increase "
                        "strictly: %(bands)s.",
                        bands=", ".join(str(d) for d in days),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["guarantee.collateral.haircut"]._create_defaults(companies)
        return companies

    def write(self, vals):
        if LIMIT_SETTING_FIELDS.intersection(vals):
            # cleared in every worker once committed, and dropped again on a rollback
            self.env.registry.clear_cache()
        return super().write(vals)

    @tools.ormcache("self.id")
    def _guarantee_limit_settings(self):
        """The company's limit settings (``LimitSettings``), read once per worker."""
        self.ensure_one()
        company = self.sudo()
        company.fetch(list(LIMIT_SETTING_FIELDS - {"guarantee_controller_partner_ids"}))
        company.flush_recordset(["guarantee_controller_partner_ids"])
        self.env.cr.execute(
            "SELECT 1 FROM res_company_guarantee_controller_rel WHERE company_id = %s LIMIT 1",
            [self.id],
        )
        return LimitSettings(
            currency_id=company.currency_id.id,
            net_assets_source=company.guarantee_net_assets_source,
            net_assets=company.guarantee_net_assets,
            mainly_small_micro=company.guarantee_mainly_small_micro,
            party_limit=company.guarantee_single_party_limit,
            group_limit=company.guarantee_group_limit,
            has_controllers=bool(self.env.cr.fetchone()),
        )

    def _guarantee_class_bands(self):
        self.ensure_one()
        return {
            "special": self.guarantee_class_special_days,
            "substandard": self.guarantee_class_substandard_days,
            "doubtful": self.guarantee_class_doubtful_days,
            "loss": self.guarantee_class_loss_days,
        }

    def _guarantee_net_assets_amount(self):
        """Net assets from the configuration, or assets minus liabilities of the posted ledger
        (``_guarantee_ledger_net_assets``)."""
        self.ensure_one()
        settings = self._guarantee_limit_settings()
        if settings.net_assets_source == "ledger":
            return self._guarantee_ledger_net_assets()
        return settings.net_assets

    def _guarantee_ledger_net_assets(self):
        """Assets minus liabilities of the posted ledger. Risk keeps no ledger: the accounting
        addon, which owns the entries, overrides this; without it there is nothing to lean on,
        so no financing guarantee can be approved on the ledger's net assets."""
        self.ensure_one()
        return 0.0
