from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.guarantee_platform.tools import identifiers

CREDIT_GRADES = [
    ("AAA", "AAA"),
    ("AA", "AA"),
    ("A", "A"),
    ("BBB", "BBB"),
    ("BB", "BB"),
    ("B", "B"),
    ("CCC", "CCC"),
    ("CC", "CC"),
    ("C", "C"),
]

# Automatic tags: (kind, label of the parent tag, how the value is read off the partner)
AUTO_TAG_KINDS = ("industry", "region", "grade")


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_guarantee_customer = fields.Boolean(
        string="Guarantee Customer", index=True, tracking=True
    )
    uscc = fields.Char(
        string="USCC / ID Number",
        size=18,
        index=True,
        tracking=True,
        help="统一社会信用代码 (18 characters, GB 32100-2015) for an organisation; the 18-digit "
        "resident ID number (GB 11643) for a person.",
    )
    legal_representative = fields.Char(tracking=True)
    registered_capital = fields.Monetary(currency_field="currency_id")
    established_date = fields.Date()
    business_scope = fields.Text(help="经营范围, as on the business licence.")
    enterprise_scale = fields.Selection(
        [("large", "Large"), ("medium", "Medium"), ("small", "Small"), ("micro", "Micro")],
        index=True,
        tracking=True,
    )
    is_agricultural = fields.Boolean(
        string="Agricultural (三农)",
        index=True,
        help="A farm household (for a person) or an agricultural enterprise.",
    )
    related_group_id = fields.Many2one(
        "guarantee.related.group", string="Related-Party Group", index=True, tracking=True
    )
    credit_grade = fields.Selection(CREDIT_GRADES, index=True, tracking=True)
    guarantee_project_ids = fields.One2many(
        "guarantee.project", "partner_id", string="Guarantee Projects"
    )
    # the record rules "project managers read the other parties of their projects"
    guarantee_party_project_ids = fields.Many2many(
        "guarantee.project", "guarantee_project_party_rel", "partner_id", "project_id",
        string="Guarantee Projects as Other Party", readonly=True, copy=False,
    )
    guarantee_creditor_project_ids = fields.One2many(
        "guarantee.project", "creditor_id", string="Guaranteed Loans as Creditor"
    )
    guarantee_project_count = fields.Integer(compute="_compute_guarantee_project_count")
    legacy_ref = fields.Char(
        string="Ledger Reference",
        index=True,
        copy=False,
        help="The customer's own reference in the ledger it was imported from; a re-import "
        "updates the customer with this reference instead of creating another.",
    )

    _sql_constraints = [
        (
            "legacy_ref_company_unique",
            "unique(legacy_ref, company_id)",
            "The ledger reference of a customer must be unique per company.",
        ),
    ]

    def _compute_guarantee_project_count(self):
        counts = dict(
            self.env["guarantee.project"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.guarantee_project_count = counts.get(partner, 0)

    @api.constrains("uscc", "is_company")
    def _check_uscc(self):
        for partner in self.filtered("uscc"):
            if partner.is_company and not identifiers.is_valid_uscc(partner.uscc):
                raise ValidationError(
                    _(
                        "%(number)s is not a valid unified social credit code: it must have "
                        "18 characters and a correct check character (GB 32100-2015).",
                        number=partner.uscc,
                    )
                )
            if not partner.is_company and not identifiers.is_valid_resident_id(partner.uscc):
                raise ValidationError(
                    _(
                        "%(number)s is not a valid resident ID number: it must have 18 "
                        "characters and a correct check digit (GB 11643).",
                        number=partner.uscc,
                    )
                )

    @api.constrains("uscc", "company_id")
    def _check_uscc_unique(self):
        """One archive entry per USCC and company; a partner shared by all companies
        (no company) clashes with every company's."""
        partners = self.filtered("uscc")
        if not partners:
            return
        # sudo: a project manager must not register a customer another manager already has
        duplicates = self.sudo().with_context(active_test=False).search(
            [
                ("uscc", "in", partners.mapped("uscc")),
                ("id", "not in", partners.ids),
            ]
        )
        for partner in partners:
            clash = duplicates.filtered(
                lambda other, partner=partner: other.uscc == partner.uscc
                and (
                    not other.company_id
                    or not partner.company_id
                    or other.company_id == partner.company_id
                )
            )
            if clash:
                raise ValidationError(
                    _(
                        "The USCC / ID number %(number)s is already used by %(other)s.",
                        number=partner.uscc,
                        other=clash[0].display_name,
                    )
                )

    @api.model
    def _normalize_uscc_vals(self, vals):
        if vals.get("uscc"):
            vals["uscc"] = identifiers.normalize(vals["uscc"])
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_uscc_vals(vals)
            # The form sends an empty salesperson: the creator becomes the customer's manager,
            # or a project manager could not open the customer they just registered.
            if vals.get("is_guarantee_customer") and not vals.get("user_id"):
                vals["user_id"] = self.env.user.id
        partners = super().create(vals_list)
        partners.filtered("is_guarantee_customer")._sync_guarantee_auto_tags()
        return partners

    def write(self, vals):
        res = super().write(self._normalize_uscc_vals(vals))
        if {"industry_id", "state_id", "credit_grade", "is_guarantee_customer"} & set(vals):
            self.filtered("is_guarantee_customer")._sync_guarantee_auto_tags()
        return res

    def action_read_document(self):
        """Open the OCR of a business licence or an ID card for this customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Read a Licence or ID Card"),
            "res_model": "guarantee.ocr.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_kind": "licence" if self.is_company else "id_card",
            },
        }

    @api.readonly
    def action_view_guarantee_projects(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "guarantee_base.guarantee_project_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _sync_guarantee_auto_tags(self):
        """Keep the automatic industry / region / grade tags in line with the data.

        Tags of the three kinds live under parent tags flagged with ``guarantee_auto_kind``;
        a partner gets exactly one tag of each kind for which it has a value.
        """
        Category = self.env["res.partner.category"].sudo()
        parents = {kind: Category._guarantee_auto_parent(kind) for kind in AUTO_TAG_KINDS}
        wanted_names = {
            "industry": {p.industry_id.display_name for p in self if p.industry_id},
            "region": {p.state_id.name for p in self if p.state_id},
            "grade": {p.credit_grade for p in self if p.credit_grade},
        }
        tags = {
            kind: Category._guarantee_auto_tags(parents[kind], wanted_names[kind])
            for kind in AUTO_TAG_KINDS
        }
        auto_tags = Category.search([("parent_id", "in", [p.id for p in parents.values()])])
        for partner in self:
            values = {
                "industry": partner.industry_id.display_name if partner.industry_id else None,
                "region": partner.state_id.name if partner.state_id else None,
                "grade": partner.credit_grade or None,
            }
            new = Category.browse(
                [tags[kind][value].id for kind, value in values.items() if value]
            )
            keep = partner.category_id - auto_tags
            if set(partner.category_id.ids) != set((keep | new).ids):
                super(ResPartner, partner).write({"category_id": [(6, 0, (keep | new).ids)]})


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    guarantee_auto_kind = fields.Selection(
        [("industry", "Industry"), ("region", "Region"), ("grade", "Credit Grade")],
        string="Automatic Tag Kind",
        help="Set on the parent of the tags the guarantee customer archive maintains itself.",
    )

    @api.model
    def _guarantee_auto_parent(self, kind):
        parent = self.search([("guarantee_auto_kind", "=", kind)], limit=1)
        if not parent:
            labels = dict(self._fields["guarantee_auto_kind"]._description_selection(self.env))
            parent = self.create({"name": labels[kind], "guarantee_auto_kind": kind})
        parent._guarantee_name_in_every_language()
        return parent

    def _guarantee_name_in_every_language(self):
        """Name an automatic parent tag ("Industry / …") in each installed language, not only
        in the language of whoever (often the scheduler, in English) created it."""
        field = self._fields["guarantee_auto_kind"]
        for code, _name in self.env["res.lang"].get_installed():
            tag = self.with_context(lang=code)
            label = dict(field._description_selection(tag.env))[self.guarantee_auto_kind]
            if tag.name != label:
                tag.name = label

    @api.model
    def _guarantee_auto_tags(self, parent, names):
        """Return {name: tag} under ``parent`` for ``names``, creating the missing ones."""
        existing = self.search([("parent_id", "=", parent.id), ("name", "in", list(names))])
        tags = {tag.name: tag for tag in existing}
        missing = [name for name in names if name not in tags]
        for tag in self.create([{"name": name, "parent_id": parent.id} for name in missing]):
            tags[tag.name] = tag
        return tags
