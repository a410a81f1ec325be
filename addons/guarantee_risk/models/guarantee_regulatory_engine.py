from odoo import _, api, fields, models

from odoo.addons.guarantee_platform.tools.money import fen_float, format_amount

from ..tools import regulatory
from .guarantee_exposure import COMMITTED_STATES

# The handful of ledger rows an approval reads, in one query: the borrower's rows (every
# partner sharing its USCC), the company total and the related group's total.
LEDGER_QUERY = """
    SELECT 'borrower', partner_id, weight_category, (balance + commitments)::float,
           liability_committed::float
      FROM guarantee_exposure
     WHERE company_id = %(company_id)s AND scope = 'borrower' AND borrower_key = %(key)s
 UNION ALL
    SELECT 'company', NULL, NULL, NULL, liability_committed::float
      FROM guarantee_exposure
     WHERE company_id = %(company_id)s AND scope = 'company'
 UNION ALL
    SELECT 'group', NULL, NULL, NULL, SUM(liability_committed)::float
      FROM guarantee_exposure
     WHERE company_id = %(company_id)s AND scope = 'borrower' AND related_group_id = %(group_id)s
"""

# The law's ban: the borrower, its commercial entity or a partner with its USCC is one of the
# company's active controllers.
CONTROLLER_QUERY = """
    SELECT 1
      FROM res_company_guarantee_controller_rel rel
      JOIN res_partner controller ON controller.id = rel.partner_id
     WHERE rel.company_id = %(company_id)s AND controller.active
       AND (controller.id = ANY(%(partner_ids)s) OR controller.uscc = %(uscc)s)
     LIMIT 1
"""

# What the check reads of the project and its borrower (the company's settings are cached,
# ``res.company._guarantee_limit_settings``). A cold read of any other field would load every
# column of the record, which costs more than the ledger query itself.
PROJECT_FIELDS = [
    "company_id",
    "currency_id",
    "partner_id",
    "state",
    "business_type",
    "issuer_rating",
    "amount",
    "own_share",
    "balance",
    "loan_amount_released",
]
PARTNER_FIELDS = [
    "uscc",
    "related_group_id",
    "enterprise_scale",
    "is_company",
    "is_agricultural",
    "commercial_partner_id",
]


class GuaranteeRegulatoryEngine(models.AbstractModel):
    """The regulatory limits engine: leverage, concentration and the controller ban, with a
    candidate project included as if it were in force.

    Counts what is in force at its balance and what is approved or contracted at amount × own
    share (commitments), as the exposure ledger (``guarantee.exposure``) keeps them, in the
    company's currency."""

    _name = "guarantee.regulatory.engine"
    _description = "Regulatory Limits Engine"

    @api.model
    def _ledger_rows(self, project):
        """(borrower rows, company total, group total) from the exposure ledger."""
        company = project.company_id
        self.env.cr.execute(
            LEDGER_QUERY,
            {
                "company_id": company.id,
                "key": project._borrower_key(),
                "group_id": self._related_group(project).id or 0,
            },
        )
        borrower_rows, company_total, group_total = [], 0.0, 0.0
        for kind, partner_id, category, amount, liability in self.env.cr.fetchall():
            if kind == "borrower":
                borrower_rows.append((partner_id, category, amount, liability))
            elif kind == "company":
                company_total = liability or 0.0
            else:
                group_total = liability or 0.0
        return borrower_rows, company_total, group_total

    @api.model
    def _rate(self, project):
        """Rate from the project's currency to the company's, or None when none is known."""
        company, currency = project.company_id, project.currency_id
        company_currency = self._company_currency(company)
        if not currency or currency == company_currency:
            return 1.0
        has_rate = (
            self.env["res.currency.rate"]
            .sudo()
            .search_count(
                [("currency_id", "=", currency.id), ("company_id", "in", (company.id, False))],
                limit=1,
            )
        )
        if not has_rate:
            return None
        return currency._get_conversion_rate(
            currency, company_currency, company, fields.Date.context_today(self)
        )

    @api.model
    def _company_currency(self, company):
        return self.env["res.currency"].browse(company._guarantee_limit_settings().currency_id)

    @api.model
    def _project_amounts(self, project, rate):
        """(what ``project`` adds once in force, what the ledger already counts for it), in
        the company's currency."""
        if project.state == "contracted" and project.loan_amount_released > 0:
            in_force = project.loan_amount_released * project.own_share / 100.0
        else:
            in_force = project._own_share_amount()
        if project.state == "active":
            counted = project.balance
        elif project.state in COMMITTED_STATES:
            counted = project._own_share_amount()
        else:
            counted = 0.0
        return in_force * rate, counted * rate

    @api.model
    def evaluate(self, project):
        """Before/after figures and breaches of approving (or activating) ``project``.

        Returns a dict with the liability balance, leverage, the party's and its group's
        weighted balance (and % of net assets) before and after, the limits, and lists of
        translated sentences: ``bans`` (no override lifts them), ``limits_exceeded`` (an
        executive may override them) and ``breaches`` (both).
        """
        self._fetch_check_fields(project)
        company = project.company_id
        settings = company._guarantee_limit_settings()
        rate = self._rate(project)
        net_assets = company._guarantee_net_assets_amount()
        figures = {
            "net_assets": net_assets,
            "leverage_limit": regulatory.leverage_limit(settings.mainly_small_micro),
            "party_limit_pct": settings.party_limit,
            "group_limit_pct": settings.group_limit,
        }
        before, after = self._before_after(project, rate or 0.0)
        for key, (liability, party_amount, group_amount) in (("before", before), ("after", after)):
            figures[key] = {
                "liability": liability,
                "leverage": regulatory.leverage(liability, net_assets),
                "party": party_amount,
                "party_pct": regulatory.share_of_net_assets(party_amount, net_assets),
                "group": group_amount,
                "group_pct": regulatory.share_of_net_assets(group_amount, net_assets),
            }
        figures["bans"] = self._bans(project, figures, rate)
        figures["limits_exceeded"] = self._limits_exceeded(project, figures)
        figures["breaches"] = figures["bans"] + figures["limits_exceeded"]
        return figures

    @api.model
    def _fetch_check_fields(self, project):
        """Load only the fields the check reads (one narrow query per record). A draft of a
        form (a new record) has its values in the cache already."""
        if not project.id:
            return
        project.fetch(PROJECT_FIELDS)
        project.partner_id.fetch(PARTNER_FIELDS)
        project._borrower().fetch(PARTNER_FIELDS)

    @api.model
    def _related_group(self, project):
        """The related-party group of the borrower (its commercial entity's, else the
        applicant's own)."""
        return project._borrower().related_group_id or project.partner_id.related_group_id

    @api.model
    def _before_after(self, project, rate):
        """(liability, party, group) without ``project`` and with it in force.

        The ledger counts the project already once approved: its own amount is taken out of
        its borrower's rows, the borrower weighed again without it and with it (its loans may
        cross a threshold), and the company and group totals moved by the differences."""
        borrower_rows, company_total, group_total = self._ledger_rows(project)
        partner = project._borrower()
        key = project._borrower_key()
        group = self._related_group(project).id or None
        in_force, counted = self._project_amounts(project, rate)
        category = regulatory.weight_category(
            project.business_type,
            project.issuer_rating,
            partner.enterprise_scale,
            partner.is_company,
            partner.is_agricultural,
        )
        rows, stored = [], 0.0
        for partner_id, row_category, amount, liability in borrower_rows:
            if counted and partner_id == project.partner_id.id and row_category == category:
                amount, counted = max(amount - counted, 0.0), 0.0
            rows.append(regulatory.category_exposure(key, row_category, amount, group))
            stored += liability
        party_before = regulatory.portfolio_liability(rows)[0]
        party_after = party_before
        if project.business_type in regulatory.FINANCING_TYPES:
            candidate = regulatory.category_exposure(key, category, in_force, group)
            party_after = regulatory.portfolio_liability(rows + [candidate])[0]
        total_before = fen_float(company_total - stored + party_before)
        group_before = fen_float(group_total - stored + party_before) if group else party_before
        delta = party_after - party_before
        return (
            (total_before, party_before, group_before),
            (fen_float(total_before + delta), party_after, fen_float(group_before + delta)),
        )

    @api.model
    def _bans(self, project, figures, rate):
        """What no override can lift: the law's ban on guaranteeing the company's controllers,
        and a financing guarantee that cannot be measured (no net assets, no exchange rate)."""
        bans = []
        company = project.company_id
        if self._is_controller(project.partner_id, company):
            bans.append(
                _(
                    "%(party)s is a controlling shareholder or actual controller of the company, "
                    "which may not guarantee it.",
                    party=project.partner_id.display_name,
                )
            )
        if project.business_type not in regulatory.FINANCING_TYPES:
            return bans
        if figures["net_assets"] <= 0:
            bans.append(
                _(
                    "The net assets of %(company)s are %(net)s: the leverage and concentration "
                    "limits cannot be checked. Configure positive net assets (or fix the equity "
                    "in the ledger) before approving financing guarantees.",
                    company=company.display_name,
                    net=_format(self._company_currency(company), figures["net_assets"]),
                )
            )
        if rate is None:
            bans.append(
                _(
                    "No exchange rate from %(currency)s to %(company_currency)s is recorded for "
                    "%(company)s: the project cannot be measured against the limits.",
                    currency=project.currency_id.name,
                    company_currency=self._company_currency(company).name,
                    company=company.display_name,
                )
            )
        return bans

    @api.model
    def _limits_exceeded(self, project, figures):
        """Leverage and concentration limits exceeded after approval (an executive may
        override them with a recorded reason)."""
        currency = self._company_currency(project.company_id)
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
        """Whether ``partner`` (or its commercial entity, or any partner sharing its USCC) is
        one of the company's active controllers: one query, without loading the controllers'
        records (which the many2many would read in full to filter the archived ones)."""
        if not company._guarantee_limit_settings().has_controllers:
            return False
        self.env["res.partner"].flush_model(["active", "uscc"])
        self.env.cr.execute(
            CONTROLLER_QUERY,
            {
                "company_id": company.id,
                "partner_ids": (partner | partner.commercial_partner_id).ids,
                "uscc": partner.uscc or None,
            },
        )
        return bool(self.env.cr.fetchone())


def _format(currency, amount):
    currency.fetch(["symbol"])
    return format_amount(amount, currency.symbol)
