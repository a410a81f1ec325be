from odoo import _, api, models

from ..tools import regulatory

# One aggregate query: in-force financing balances summed per partner, business type and (for
# bonds) issuer rating, each row with its borrower key (USCC, or the partner when it has none)
# and the borrower's attributes. tools/regulatory.py sums the rows per borrower key and applies
# the weights, so the query returns one row per partner and type, never one per project.
# Balances are summed as float8 (like Odoo's monetary fields): far cheaper than numeric.
# Column order: regulatory.exposure().
PORTFOLIO_QUERY = """
    WITH per_partner AS (
        SELECT project.partner_id,
               project.business_type,
               CASE WHEN project.business_type = 'bond' THEN project.issuer_rating END
                   AS issuer_rating,
               SUM(project.balance::float) AS balance
          FROM guarantee_project project
         WHERE project.company_id = %(company_id)s
           AND project.state = 'active'
           AND project.balance > 0
           AND project.business_type IN %(financing_types)s
           AND project.id != %(exclude_id)s
      GROUP BY 1, 2, 3
    )
    SELECT COALESCE(NULLIF(partner.uscc, ''), 'partner-' || partner.id),
           per_partner.business_type,
           per_partner.issuer_rating,
           per_partner.balance,
           partner.enterprise_scale,
           COALESCE(partner.is_company, FALSE),
           COALESCE(partner.is_agricultural, FALSE),
           partner.related_group_id
      FROM per_partner
      JOIN res_partner partner ON partner.id = per_partner.partner_id
"""


class GuaranteeRegulatoryEngine(models.AbstractModel):
    """The regulatory limits engine: leverage, concentration and the controller ban, with a
    candidate project included as if it were in force."""

    _name = "guarantee.regulatory.engine"
    _description = "Regulatory Limits Engine"

    @api.model
    def _portfolio_rows(self, company, exclude_project=None):
        Project = self.env["guarantee.project"]
        Project.flush_model(
            ["balance", "state", "business_type", "issuer_rating", "partner_id", "company_id"]
        )
        self.env["res.partner"].flush_model(
            ["uscc", "enterprise_scale", "is_company", "is_agricultural", "related_group_id"]
        )
        self.env.cr.execute(
            PORTFOLIO_QUERY,
            {
                "company_id": company.id,
                "financing_types": regulatory.FINANCING_TYPES,
                "exclude_id": exclude_project.id if exclude_project else 0,
            },
        )
        return self.env.cr.fetchall()

    @api.model
    def _candidate_row(self, project):
        """The row ``project`` adds once in force: its amount at its own share."""
        partner = project.partner_id
        return regulatory.exposure(
            project._borrower_key(),
            project.business_type,
            project.amount * project.own_share / 100.0,
            issuer_rating=project.issuer_rating if project.business_type == "bond" else None,
            enterprise_scale=partner.enterprise_scale or None,
            is_company=partner.is_company,
            is_agricultural=partner.is_agricultural,
            group=partner.related_group_id.id or None,
        )

    @api.model
    def evaluate(self, project):
        """Before/after figures and breaches of approving ``project``.

        Returns a dict with the liability balance, leverage, the party's and its group's
        weighted balance (and % of net assets) before and after, the limits, and a list of
        translated breach sentences.
        """
        company = project.company_id
        rows = self._portfolio_rows(company, exclude_project=project)
        candidate = self._candidate_row(project)
        before = regulatory.portfolio_liability(rows)
        total, by_borrower, by_group = before
        borrower, group = candidate[0], candidate[7]
        party = by_borrower.get(borrower, 0.0)
        if project.business_type in regulatory.FINANCING_TYPES:
            after = regulatory.add_exposure(before, rows, candidate)
        else:
            after = (total, party, by_group.get(group, 0.0) if group else party)
        net_assets = company._guarantee_net_assets_amount()
        figures = {
            "net_assets": net_assets,
            "leverage_limit": regulatory.leverage_limit(company.guarantee_mainly_small_micro),
            "party_limit_pct": company.guarantee_single_party_limit,
            "group_limit_pct": company.guarantee_group_limit,
        }
        for key, (liability, party_amount, group_amount) in (
            ("before", (total, party, by_group.get(group, 0.0) if group else party)),
            ("after", after),
        ):
            figures[key] = {
                "liability": liability,
                "leverage": regulatory.leverage(liability, net_assets),
                "party": party_amount,
                "party_pct": regulatory.share_of_net_assets(party_amount, net_assets),
                "group": group_amount,
                "group_pct": regulatory.share_of_net_assets(group_amount, net_assets),
            }
        figures["bans"] = self._bans(project)
        figures["limits_exceeded"] = self._limits_exceeded(project, figures)
        figures["breaches"] = figures["bans"] + figures["limits_exceeded"]
        return figures

    @api.model
    def _bans(self, project):
        """What the law forbids outright: no override can lift it."""
        if self._is_controller(project.partner_id, project.company_id):
            return [
                _(
                    "%(party)s is a controlling shareholder or actual controller of the company, "
                    "which may not guarantee it.",
                    party=project.partner_id.display_name,
                )
            ]
        return []

    @api.model
    def _limits_exceeded(self, project, figures):
        """Leverage and concentration limits exceeded after approval (an executive may
        override them with a recorded reason)."""
        company = project.company_id
        currency = company.currency_id
        breaches = []
        if project.business_type not in regulatory.FINANCING_TYPES or figures["net_assets"] <= 0:
            return breaches
        after, before = figures["after"], figures["before"]
        if after["leverage"] > figures["leverage_limit"]:
            breaches.append(
                _(
                    "Leverage after approval %(after).2f exceeds the limit of %(limit).0f "
                    "(financing liability balance %(liability)s / net assets %(net)s; "
                    "before: %(before).2f).",
                    after=after["leverage"],
                    limit=figures["leverage_limit"],
                    liability=_format(currency, after["liability"]),
                    net=_format(currency, figures["net_assets"]),
                    before=before["leverage"],
                )
            )
        if after["party_pct"] > figures["party_limit_pct"]:
            breaches.append(
                _(
                    "The liability balance of %(party)s after approval, %(amount)s, is "
                    "%(pct).2f%% of net assets, above the single-party limit of %(limit).2f%% "
                    "(%(max)s).",
                    party=project.partner_id.display_name,
                    amount=_format(currency, after["party"]),
                    pct=after["party_pct"],
                    limit=figures["party_limit_pct"],
                    max=_format(currency, figures["net_assets"] * figures["party_limit_pct"] / 100),
                )
            )
        group = project.partner_id.related_group_id
        if group and after["group_pct"] > figures["group_limit_pct"]:
            breaches.append(
                _(
                    "The liability balance of the related group %(group)s after approval, "
                    "%(amount)s, is %(pct).2f%% of net assets, above the group limit of "
                    "%(limit).2f%% (%(max)s).",
                    group=group.display_name,
                    amount=_format(currency, after["group"]),
                    pct=after["group_pct"],
                    limit=figures["group_limit_pct"],
                    max=_format(currency, figures["net_assets"] * figures["group_limit_pct"] / 100),
                )
            )
        return breaches

    @api.model
    def _is_controller(self, partner, company):
        controllers = company.sudo().guarantee_controller_partner_ids
        if not controllers:
            return False
        if partner in controllers or partner.commercial_partner_id in controllers:
            return True
        return bool(partner.uscc) and partner.uscc in controllers.mapped("uscc")


def _format(currency, amount):
    return "%s%s" % (currency.symbol or "", f"{amount:,.2f}")
