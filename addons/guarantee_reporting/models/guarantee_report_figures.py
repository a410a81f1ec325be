from datetime import date as date_type
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.guarantee_platform.tools.masking import mask_id_number
from odoo.addons.guarantee_platform.tools.money import fen, ratio, to_decimal
from odoo.addons.guarantee_risk.models.guarantee_balance_snapshot import valid_on
from odoo.addons.guarantee_risk.tools import regulatory

NPL_CLASSES = ("substandard", "doubtful", "loss")
NON_FINANCING = "non_financing"
SEE_ALL_GROUPS = (
    "guarantee_base.group_guarantee_risk",
    "guarantee_base.group_guarantee_finance",
    "guarantee_base.group_guarantee_executive",
    "guarantee_base.group_guarantee_admin",
)

# The regulator's weight categories of the financing liability balance (责任余额计量表): keys,
# weights and their SQL from guarantee_risk's ``regulatory`` (their one source); the labels are
# the report's.
WEIGHT_CATEGORY_SQL = regulatory.reported_weight_category_sql("pos")
WEIGHT_CATEGORY_LABELS = {
    "loan_75": "Loans to small/micro firms and farm households (75%)",
    "loan_100": "Other loan guarantees (100%)",
    "bond_80": "Bonds rated AA or above (80%)",
    "bond_100": "Other bond guarantees (100%)",
    "other_100": "Other financing guarantees (100%)",
    "housing_30": "Housing guarantees (30%)",
}
WEIGHT_CATEGORIES = [
    (key, WEIGHT_CATEGORY_LABELS[key], weight)
    for key, _type, weight, _reduced in regulatory.REPORTED_WEIGHT_CATEGORIES
]

# Balances of one day: the daily snapshot for a past date, the projects themselves for today.
SNAPSHOT_SOURCE = f"""
    SELECT snap.project_id, snap.partner_id, snap.business_type, snap.risk_class,
           snap.balance, snap.liability_balance, snap.product_id, snap.manager_id,
           snap.creditor_id, snap.industry_id, snap.region_id, snap.city_id
      FROM guarantee_balance_snapshot snap
     WHERE snap.company_id = %(company_id)s AND {valid_on("snap", "%(snapshot_date)s")}
"""
LIVE_SOURCE = """
    SELECT project.id AS project_id, project.partner_id, project.business_type,
           project.risk_class, project.balance, COALESCE(project.liability_balance, 0)
           AS liability_balance, project.product_id, project.manager_id, project.creditor_id,
           project.industry_id, project.region_id, project.city_id
      FROM guarantee_project project
     WHERE project.company_id = %(company_id)s AND project.state = 'active' AND project.active
"""
# The aggregate rows of one day: today's (no date) or a snapshot's.
AGGREGATE_SOURCE = """
    SELECT agg.business_type, agg.weight_category, agg.risk_class, agg.region_id,
           agg.industry_section_id, agg.project_count, agg.balance, agg.liability_balance
      FROM guarantee_position_aggregate agg
     WHERE agg.company_id = %(company_id)s
       AND agg.date IS NOT DISTINCT FROM %(snapshot_date)s::date
"""
# The same rows built from the balances of one day (``_position_source``), one per project,
# for a user who sees only some projects: the aggregates are not kept per project.
PROJECT_AGGREGATE_SOURCE = f"""
    SELECT pos.business_type, {WEIGHT_CATEGORY_SQL} AS weight_category, pos.risk_class,
           pos.region_id, COALESCE(industry.parent_id, industry.id) AS industry_section_id,
           1 AS project_count, COALESCE(pos.balance, 0) AS balance, pos.liability_balance
      FROM ({{source}}) pos
 LEFT JOIN res_partner_industry industry ON industry.id = pos.industry_id
"""


class GuaranteeReportFigures(models.AbstractModel):
    """Every reported figure, for one company, a day and a period, from SQL on the daily
    balance snapshot and on the posted records.

    Amounts are ``Decimal`` exact to the fen and rates ``Decimal`` fractions (None when the
    base is zero); ``dashboard_data`` turns them into JSON for the web client. The figures
    read the database directly, so the caller's rights are checked here: risk, finance and
    executives see the company; a project manager sees the projects the record rules of
    ``guarantee.project`` let them read (A-role or B-role), no more.
    """

    _name = "guarantee.report.figures"
    _description = "Guarantee Reported Figures"

    # ------------------------------------------------------------------ scope

    @api.model
    def _scope(self, company=None, product_id=None, manager_id=None):
        """The company and filters the current user may see, checked on the server.

        ``project_ids`` is None for those who see the whole company, else the projects of the
        company the user may read by the record rules of ``guarantee.project`` (the same rule
        as the records': a project manager's projects as A-role or B-role); every figure is
        then summed over those projects only. ``manager_id`` is the A-role filter the user
        chose.
        """
        company = company or self.env.company
        if company not in self.env.user.company_ids and not self.env.su:
            raise AccessError(_("You have no access to the figures of %s.", company.name))
        user = self.env.user
        project_ids = None
        if not self.env.su and not any(user.has_group(group) for group in SEE_ALL_GROUPS):
            if not user.has_group("guarantee_base.group_guarantee_project_manager"):
                raise AccessError(_("Only guarantee staff may read the reported figures."))
            if manager_id and manager_id != user.id:
                raise AccessError(_("A project manager sees only their own figures."))
            project_ids = self.env["guarantee.project"].with_context(active_test=False).search(
                [("company_id", "=", company.id)]).ids
        return {
            "company_id": company.id,
            "product_id": product_id or None,
            "manager_id": manager_id or None,
            "project_ids": project_ids,
        }

    @api.model
    def _where_filters(self, alias, project_column="project_id"):
        """The scope's filters on the rows of ``alias``; ``project_column`` is the column of
        the project's id (None for rows of several projects, which a scope restricted to some
        projects must not read)."""
        filters = (
            f" AND (%(product_id)s::int IS NULL OR {alias}.product_id = %(product_id)s)"
            f" AND (%(manager_id)s::int IS NULL OR {alias}.manager_id = %(manager_id)s)"
        )
        if project_column:
            filters += (f" AND (%(project_ids)s::int[] IS NULL"
                        f" OR {alias}.{project_column} = ANY(%(project_ids)s::int[]))")
        return filters

    @api.model
    def _position_source(self, scope, date):
        """SQL of the balances on ``date`` and its parameters; the latest snapshot on or
        before a past date, the projects themselves from today on."""
        today = fields.Date.context_today(self)
        params = dict(scope)
        if date >= today:
            self.env["guarantee.project"].flush_model()
            params["snapshot_date"] = None
            return LIVE_SOURCE + self._where_filters("project", "id"), params
        Snapshot = self.env["guarantee.balance.snapshot"]
        Snapshot.flush_model()
        company = self.env["res.company"].browse(scope["company_id"])
        params["snapshot_date"] = Snapshot._snapshot_date(company, date) or date
        return SNAPSHOT_SOURCE + self._where_filters("snap"), params

    @api.model
    def _aggregate_source(self, scope, date):
        """SQL of the portfolio aggregate rows of ``date`` (guarantee.position.aggregate)
        and its parameters: today's rows, kept exact in the transaction of every change, from
        today on; the rows of the latest snapshot on or before a past date. Its cost follows
        the number of aggregate rows, not of projects. For a scope of some projects only, the
        same rows are built from those projects' balances of the day."""
        if scope["project_ids"] is not None:
            source, params = self._position_source(scope, date)
            return PROJECT_AGGREGATE_SOURCE.format(source=source), params
        today = fields.Date.context_today(self)
        params = dict(scope)
        # flushing the projects moves today's rows by what is still pending in this transaction
        self.env["guarantee.project"].flush_model()
        if date >= today:
            params["snapshot_date"] = None
        else:
            company = self.env["res.company"].browse(scope["company_id"])
            snapshot_date = self.env["guarantee.balance.snapshot"]._snapshot_date(company, date)
            params["snapshot_date"] = snapshot_date or date
        return AGGREGATE_SOURCE + self._where_filters("agg", None), params

    # ------------------------------------------------------------------ a day

    @api.model
    def position(self, date, company=None, product_id=None, manager_id=None):
        """Balances, liability balances, NPL, leverage, concentration and headroom on
        ``date``."""
        company = company or self.env.company
        scope = self._scope(company, product_id, manager_id)
        source, params = self._position_source(scope, date)
        params["financing"] = regulatory.FINANCING_TYPES
        params["npl"] = NPL_CLASSES
        totals, totals_params = self._aggregate_source(scope, date)
        totals_params.update(financing=regulatory.FINANCING_TYPES, npl=NPL_CLASSES)
        count, balance, financing, liability, non_financing, npl = self._totals(
            totals, totals_params
        )
        net_assets = fen(company._guarantee_net_assets_amount())
        result = {
            "date": date,
            "snapshot_date": params["snapshot_date"],
            "count": count,
            "balance": fen(balance),
            "financing_balance": fen(financing),
            "liability_balance": fen(liability),
            "non_financing_balance": fen(non_financing),
            "npl_balance": fen(npl),
            "npl_rate": ratio(npl, balance),
            "net_assets": net_assets,
            "leverage": ratio(liability, net_assets),
            "by_weight": self._by_weight(totals, totals_params),
            "top_parties": self._top_parties(source, params, net_assets),
            "top_groups": self._top_groups(source, params, net_assets),
        }
        result["limits"] = self._limits(company, result)
        return result

    @api.model
    def _totals(self, source, params):
        """(count, balance, financing balance, financing liability, non-financing balance,
        non-performing balance) of the aggregate rows of ``source``."""
        self.env.cr.execute(
            f"""
            WITH pos AS ({source})
            SELECT COALESCE(SUM(project_count), 0),
                   COALESCE(SUM(balance), 0),
                   COALESCE(SUM(balance) FILTER (WHERE business_type IN %(financing)s), 0),
                   COALESCE(SUM(liability_balance)
                            FILTER (WHERE business_type IN %(financing)s), 0),
                   COALESCE(SUM(balance) FILTER (WHERE business_type = 'non_financing'), 0),
                   COALESCE(SUM(balance) FILTER (WHERE risk_class IN %(npl)s), 0)
              FROM pos
            """,
            params,
        )
        return self.env.cr.fetchone()

    @api.model
    def _by_weight(self, source, params):
        """Per weight category, from the aggregate rows of the day (``_aggregate_source``)."""
        self.env.cr.execute(
            f"""
            WITH pos AS ({source})
            SELECT weight_category, SUM(project_count), SUM(balance), SUM(liability_balance)
              FROM pos
             WHERE business_type IN %(financing)s
          GROUP BY 1
            """,
            params,
        )
        found = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        return {
            key: {
                "count": found.get(key, (0,))[0],
                "balance": fen(found.get(key, (0, 0))[1]),
                "liability_balance": fen(found.get(key, (0, 0, 0))[2]),
                "weight": to_decimal(weight),
            }
            for key, _label, weight in WEIGHT_CATEGORIES
        }

    @api.model
    def _party_rows(self, params, kind, limit):
        """The ``limit`` largest rows of ``kind`` (party, group) of guarantee.position.party
        for the day of ``params`` (today's rows, or the snapshot's), or None when the figures
        are narrowed to a product, an A-role or some projects (those rows are company-wide)."""
        if params["product_id"] or params["manager_id"] or params["project_ids"] is not None:
            return None
        self.env["guarantee.position.party"].flush_model()
        day = "date IS NULL" if params["snapshot_date"] is None else "date = %(snapshot_date)s"
        columns = ("key, partner_id, liability_balance, balance" if kind == "party"
                   else "related_group_id, liability_balance, balance")
        order = "partner_id" if kind == "party" else "related_group_id"
        self.env.cr.execute(
            f"""
            SELECT {columns} FROM guarantee_position_party
             WHERE company_id = %(company_id)s AND kind = %(kind)s AND {day}
          ORDER BY liability_balance DESC, {order}
             LIMIT {int(limit)}
            """,
            dict(params, kind=kind),
        )
        return self.env.cr.fetchall()

    @api.model
    def _top_parties(self, source, params, net_assets, limit=10):
        """The ten largest financing liability balances per borrower (USCC or partner); the key
        is masked, since it is a person's ID number for an individual borrower. Company-wide,
        from the per-borrower rows of the day; narrowed, from ``source``."""
        rows = self._party_rows(params, "party", limit)
        if rows is None:
            rows = self._top_parties_scan(source, params, limit)
        names = dict(self.env["res.partner"].browse([r[1] for r in rows]).sudo()
                     .mapped(lambda p: (p.id, p.display_name)))
        return [
            {
                "key": mask_id_number(key),
                "partner_id": partner_id,
                "name": names.get(partner_id, ""),
                "liability_balance": fen(liability),
                "balance": fen(balance),
                "share": ratio(liability, net_assets),
            }
            for key, partner_id, liability, balance in rows
        ]

    @api.model
    def _top_parties_scan(self, source, params, limit):
        self.env.cr.execute(
            f"""
            WITH pos AS ({source})
            SELECT COALESCE(NULLIF(partner.uscc, ''), 'partner-' || partner.id),
                   MIN(partner.id), SUM(pos.liability_balance), SUM(pos.balance)
              FROM pos
              JOIN res_partner partner ON partner.id = pos.partner_id
             WHERE pos.business_type IN %(financing)s
          GROUP BY 1
          ORDER BY 3 DESC, 2
             LIMIT {int(limit)}
            """,
            params,
        )
        return self.env.cr.fetchall()

    @api.model
    def _top_groups(self, source, params, net_assets, limit=10):
        """The ten largest financing liability balances per related-party group."""
        rows = self._party_rows(params, "group", limit)
        if rows is None:
            rows = self._top_groups_scan(source, params, limit)
        groups = self.env["guarantee.related.group"].sudo().browse([r[0] for r in rows])
        names = {group.id: group.display_name for group in groups}
        return [
            {
                "group_id": group_id,
                "name": names.get(group_id, ""),
                "liability_balance": fen(liability),
                "balance": fen(balance),
                "share": ratio(liability, net_assets),
            }
            for group_id, liability, balance in rows
        ]

    @api.model
    def _top_groups_scan(self, source, params, limit):
        self.env.cr.execute(
            f"""
            WITH pos AS ({source})
            SELECT partner.related_group_id, SUM(pos.liability_balance), SUM(pos.balance)
              FROM pos
              JOIN res_partner partner ON partner.id = pos.partner_id
             WHERE pos.business_type IN %(financing)s AND partner.related_group_id IS NOT NULL
          GROUP BY 1
          ORDER BY 2 DESC, 1
             LIMIT {int(limit)}
            """,
            params,
        )
        return self.env.cr.fetchall()

    @api.model
    def _limits(self, company, position):
        """Each regulatory limit, the figure against it and the room left."""
        net_assets = position["net_assets"]
        leverage_limit = to_decimal(regulatory.leverage_limit(company.guarantee_mainly_small_micro))
        party_pct = to_decimal(company.guarantee_single_party_limit)
        group_pct = to_decimal(company.guarantee_group_limit)
        parties, groups = position["top_parties"], position["top_groups"]
        top_party = parties[0]["liability_balance"] if parties else 0
        top_group = groups[0]["liability_balance"] if groups else 0
        limits = []
        for key, label, figure, cap in (
            ("leverage", _("Leverage"), position["liability_balance"], leverage_limit * net_assets),
            ("party", _("Largest single party"), top_party, net_assets * party_pct / 100),
            ("group", _("Largest related group"), top_group, net_assets * group_pct / 100),
        ):
            limits.append({
                "key": key,
                "label": label,
                "amount": fen(figure),
                "cap": fen(cap),
                "headroom": fen(cap - to_decimal(figure)),
                "usage": ratio(figure, cap),
            })
        return limits

    # ------------------------------------------------------------------ a period

    @api.model
    def period(self, date_from, date_to, company=None, product_id=None, manager_id=None):
        """Flows of the period [date_from, date_to] and the rates built on them."""
        if date_from > date_to:
            raise UserError(_("The period starts after it ends."))
        company = company or self.env.company
        scope = self._scope(company, product_id, manager_id)
        params = dict(scope, date_from=date_from, date_to=date_to)
        flows = self._flows(params)
        cumulative = self._cumulative(params)
        fees = self._fees(params)
        return dict(
            flows,
            date_from=date_from,
            date_to=date_to,
            compensation_rate=ratio(flows["compensation"], flows["released"]),
            compensation_to_date=cumulative["compensation"],
            recovery_to_date=cumulative["recovery"],
            loss_to_date=cumulative["loss"],
            recovery_rate=ratio(cumulative["recovery"], cumulative["compensation"]),
            loss_rate=ratio(cumulative["loss"], cumulative["compensation"]),
            reserves=self._reserves(params),
            cycle_days=self._cycle_days(params),
            acceptance_to_activation_days=self._acceptance_to_activation(params),
            **fees,
        )

    @api.model
    def _flow_table(self, params):
        """The flow rows the scope may read: the daily flow aggregates (guarantee.flow.aggregate)
        for those who see the whole company; for a scope of some projects, the same rows built
        from those projects' records (the aggregates are not kept per project)."""
        Flow = self.env["guarantee.flow.aggregate"]
        Flow._flush_sources()
        if params["project_ids"] is None:
            return "guarantee_flow_aggregate"
        return "(%s)" % Flow._project_rows_sql()

    @api.model
    def _flow_rows(self, where, params, columns, group_by=""):
        """``columns`` over the flow rows of the company (``_flow_table``) narrowed by
        ``where``: the cost follows the rows of the days read, not the projects."""
        self.env.cr.execute(
            f"""
            SELECT {columns}
              FROM {self._flow_table(params)} agg
             WHERE agg.company_id = %(company_id)s {self._where_filters("agg", None)} AND {where}
             {group_by}
            """,
            params,
        )
        return self.env.cr.fetchall()

    @api.model
    def _flows(self, params):
        """New and released guarantees (at own share), compensation paid, recovered and
        written off in the period."""
        [row] = self._flow_rows(
            "agg.date BETWEEN %(date_from)s AND %(date_to)s",
            params,
            """COALESCE(SUM(new_count), 0), COALESCE(SUM(new_amount), 0),
               COALESCE(SUM(released_count), 0), COALESCE(SUM(released_amount), 0),
               COALESCE(SUM(compensation_count), 0), COALESCE(SUM(compensation_amount), 0),
               COALESCE(SUM(recovery_amount), 0), COALESCE(SUM(loss_amount), 0)""",
        )
        return {
            "new_count": row[0],
            "new": fen(row[1]),
            "released_count": row[2],
            "released": fen(row[3]),
            "compensation_count": row[4],
            "compensation": fen(row[5]),
            "recovery": fen(row[6]),
            "loss": fen(row[7]),
        }

    @api.model
    def _cumulative(self, params):
        """Compensation paid, recovered and written off since inception, up to the period end
        (the bases of the recovery and loss rates)."""
        [(compensation, recovery, loss)] = self._flow_rows(
            "agg.date <= %(date_to)s",
            params,
            """COALESCE(SUM(compensation_amount), 0), COALESCE(SUM(recovery_amount), 0),
               COALESCE(SUM(loss_amount), 0)""",
        )
        return {"compensation": fen(compensation), "recovery": fen(recovery), "loss": fen(loss)}

    @api.model
    def _fees(self, params):
        """Fees due in the period and what of them was paid by its end (回款率), and fees
        overdue at the period end (due before it, unpaid on it)."""
        [(due, collected, overdue_count, overdue)] = self._flow_rows(
            "agg.date <= %(date_to)s AND agg.fee_count != 0",
            params,
            """COALESCE(SUM(fee_amount) FILTER (
                   WHERE agg.date BETWEEN %(date_from)s AND %(date_to)s), 0),
               COALESCE(SUM(fee_paid_amount) FILTER (
                   WHERE agg.date BETWEEN %(date_from)s AND %(date_to)s
                     AND agg.date_paid <= %(date_to)s), 0),
               COALESCE(SUM(fee_count) FILTER (
                   WHERE agg.date < %(date_to)s
                     AND (agg.date_paid IS NULL OR agg.date_paid > %(date_to)s)), 0),
               COALESCE(SUM(fee_amount) FILTER (
                   WHERE agg.date < %(date_to)s
                     AND (agg.date_paid IS NULL OR agg.date_paid > %(date_to)s)), 0)""",
        )
        return {
            "fees_due": fen(due),
            "fees_collected": fen(collected),
            "fee_collection_rate": ratio(collected, due),
            "overdue_fee_count": overdue_count,
            "overdue_fees": fen(overdue),
        }

    @api.model
    def _reserves(self, params):
        """Each reserve provisioned in the period (the posted provisions) and its balance on
        the books at the period end (credit balance of its account, after the losses
        charged to it)."""
        self.env["guarantee.reserve.provision"].flush_model()
        self.env["account.move.line"].flush_model()
        company = self.env["res.company"].browse(params["company_id"])
        accounts = {
            "unearned_premium": company.guarantee_unearned_reserve_account_id.id or 0,
            "compensation": company.guarantee_compensation_reserve_account_id.id or 0,
        }
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(unearned_amount), 0), COALESCE(SUM(compensation_amount), 0)
              FROM guarantee_reserve_provision
             WHERE company_id = %(company_id)s
               AND date BETWEEN %(date_from)s AND %(date_to)s
            """,
            params,
        )
        provisioned = dict(zip(("unearned_premium", "compensation"), self.env.cr.fetchone(),
                               strict=True))
        self.env.cr.execute(
            """
            SELECT account_id, SUM(credit - debit)
              FROM account_move_line
             WHERE company_id = %(company_id)s AND parent_state = 'posted'
               AND date <= %(date_to)s AND account_id IN %(accounts)s
          GROUP BY account_id
            """,
            dict(params, accounts=tuple(accounts.values())),
        )
        balances = dict(self.env.cr.fetchall())
        return {
            kind: {"balance": fen(balances.get(account, 0)),
                   "provisioned": fen(provisioned[kind])}
            for kind, account in accounts.items()
        }

    @api.model
    def _cycle_days(self, params):
        """Average days spent in the previous state, per state entered in the period."""
        self.env["guarantee.project.state.log"].flush_model()
        where = "project.company_id = %(company_id)s" + self._where_filters("project", "id")
        self.env.cr.execute(
            f"""
            SELECT log.state, COUNT(*), AVG(log.duration_days::numeric)
              FROM guarantee_project_state_log log
              JOIN guarantee_project project ON project.id = log.project_id
             WHERE {where} AND log.previous_state IS NOT NULL
               AND log.date >= %(date_from)s AND log.date < %(date_to)s::date + 1
          GROUP BY log.state
            """,
            params,
        )
        return {
            state: {"count": count, "days": to_decimal(days).quantize(to_decimal("0.01"))}
            for state, count, days in self.env.cr.fetchall()
        }

    @api.model
    def _acceptance_to_activation(self, params):
        """Average days from acceptance to activation of the projects activated in the
        period (the seed's 15 → 5 days)."""
        rows = [row for row in self._manager_cycle(params) if row[3]]
        count = sum(row[3] for row in rows)
        if not count:
            return None
        total = sum(to_decimal(row[2]) * row[3] for row in rows)
        return (total / count).quantize(to_decimal("0.01"))

    @api.model
    def _manager_cycle(self, params):
        """Per manager: projects whose loan was released in the period (the day they came
        into force, as in 新增担保额 and the balance of a past day) and the average days from
        their acceptance (state log, its UTC day) to that release. The staff board's
        drill-down lists the same projects (``_manager_cycle_domain``)."""
        where = "project.company_id = %(company_id)s" + self._where_filters("project", "id")
        self.env["guarantee.project"].flush_model()
        self.env["guarantee.project.state.log"].flush_model()
        self.env.cr.execute(
            f"""
            WITH released AS (
                SELECT project.id, project.manager_id, project.loan_release_date
                  FROM guarantee_project project
                 WHERE {where}
                   AND project.loan_release_date BETWEEN %(date_from)s AND %(date_to)s
                   AND project.state NOT IN ('cancelled', 'rejected')
            ), accepted AS (
                SELECT log.project_id, MIN(log.date)::date AS day
                  FROM guarantee_project_state_log log
                  JOIN released ON released.id = log.project_id
                 WHERE log.state = 'accepted'
              GROUP BY log.project_id
            )
            SELECT released.manager_id, COUNT(*),
                   AVG((released.loan_release_date - accepted.day)::numeric),
                   COUNT(accepted.day)
              FROM released
         LEFT JOIN accepted ON accepted.project_id = released.id
          GROUP BY released.manager_id
            """,
            params,
        )
        return self.env.cr.fetchall()

    @api.model
    def _manager_cycle_domain(self, scope, date_from, date_to):
        """The projects ``_manager_cycle`` counts, as a domain (the drill-down)."""
        domain = [("company_id", "=", scope["company_id"]),
                  ("loan_release_date", ">=", fields.Date.to_string(date_from)),
                  ("loan_release_date", "<=", fields.Date.to_string(date_to)),
                  ("state", "not in", ["cancelled", "rejected"])]
        for key in ("product_id", "manager_id"):
            if scope.get(key):
                domain.append((key, "=", scope[key]))
        return domain

    # ------------------------------------------------------------------ breakdowns

    @api.model
    def by_business_type(self, date_from, date_to, company=None, product_id=None,
                         manager_id=None):
        """业务情况: per business type, projects and balance at the period end, new and
        released in the period."""
        company = company or self.env.company
        scope = self._scope(company, product_id, manager_id)
        source, params = self._aggregate_source(scope, date_to)
        params.update(date_from=date_from, date_to=date_to)
        self.env.cr.execute(
            f"""
            WITH pos AS ({source}),
            stock AS (
                SELECT business_type, SUM(project_count) AS count, SUM(balance) AS balance,
                       SUM(liability_balance) AS liability_balance
                  FROM pos GROUP BY 1
            ),
            flows AS (
                SELECT agg.business_type, SUM(agg.new_amount) AS new,
                       SUM(agg.released_amount) AS released
                  FROM {self._flow_table(params)} agg
                 WHERE agg.company_id = %(company_id)s {self._where_filters("agg", None)}
                   AND agg.date BETWEEN %(date_from)s AND %(date_to)s
                   AND (agg.new_count != 0 OR agg.released_count != 0)
              GROUP BY 1
            )
            SELECT COALESCE(stock.business_type, flows.business_type),
                   COALESCE(stock.count, 0), COALESCE(stock.balance, 0),
                   COALESCE(stock.liability_balance, 0),
                   COALESCE(flows.new, 0), COALESCE(flows.released, 0)
              FROM stock FULL JOIN flows ON flows.business_type = stock.business_type
            """,
            params,
        )
        found = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        labels = dict(self.env["guarantee.product"]._fields["business_type"]
                      ._description_selection(self.env))
        return [
            {
                "business_type": key,
                "label": label,
                "count": found.get(key, (0,))[0],
                "balance": fen(found.get(key, (0, 0))[1]),
                "liability_balance": fen(found.get(key, (0, 0, 0))[2]),
                "new": fen(found.get(key, (0, 0, 0, 0))[3]),
                "released": fen(found.get(key, (0, 0, 0, 0, 0))[4]),
            }
            for key, label in labels.items()
        ]

    @api.model
    def trend(self, dates, company=None, product_id=None, manager_id=None):
        """Balance, financing liability balance and non-performing balance on each of
        ``dates`` (the latest snapshot on or before each; the projects for today on)."""
        company = company or self.env.company
        scope = self._scope(company, product_id, manager_id)
        today = fields.Date.context_today(self)
        past = sorted(day for day in dates if day < today)
        points = {}
        if past:
            self.env["guarantee.balance.snapshot.run"].flush_model()
            params = dict(scope, dates=past, financing=regulatory.FINANCING_TYPES,
                          npl=NPL_CLASSES)
            # the aggregate rows, or the projects' own rows for a scope of some projects
            if scope["project_ids"] is None:
                rows, filters = "guarantee_position_aggregate", self._where_filters("agg", None)
                of_day = "agg.date = last.date"
            else:
                self.env["guarantee.balance.snapshot"].flush_model()
                rows, filters = "guarantee_balance_snapshot", self._where_filters("agg")
                of_day = valid_on("agg", "last.date")
            # the aggregate rows of the latest snapshot on or before each day
            self.env.cr.execute(
                f"""
                SELECT day.day,
                       COALESCE(SUM(agg.balance), 0),
                       COALESCE(SUM(agg.liability_balance)
                                FILTER (WHERE agg.business_type IN %(financing)s), 0),
                       COALESCE(SUM(agg.balance) FILTER (WHERE agg.risk_class IN %(npl)s), 0)
                  FROM unnest(%(dates)s::date[]) AS day(day)
             LEFT JOIN LATERAL (
                       SELECT MAX(date) AS date FROM guarantee_balance_snapshot_run
                        WHERE company_id = %(company_id)s AND date <= day.day
                   ) AS last ON TRUE
             LEFT JOIN {rows} agg
                    ON agg.company_id = %(company_id)s AND {of_day}
                       {filters}
              GROUP BY day.day
                """,
                params,
            )
            for day, balance, liability, npl in self.env.cr.fetchall():
                points[day] = (fen(balance), fen(liability), fen(npl))
        for day in dates:
            if day >= today:
                source, params = self._aggregate_source(scope, day)
                params.update(financing=regulatory.FINANCING_TYPES, npl=NPL_CLASSES)
                totals = self._totals(source, params)
                points[day] = (fen(totals[1]), fen(totals[3]), fen(totals[5]))
        return [
            {"date": day, "balance": points[day][0], "liability_balance": points[day][1],
             "npl_balance": points[day][2], "npl_rate": ratio(points[day][2], points[day][0])}
            for day in sorted(set(dates))
        ]

    @api.model
    def new_signals(self, date_from, date_to, company=None, product_id=None, manager_id=None):
        """Early-warning signals raised in the period, most severe first."""
        company = company or self.env.company
        scope = self._scope(company, product_id, manager_id)
        domain = [("company_id", "=", scope["company_id"]), ("date", ">=", date_from),
                  ("date", "<=", date_to)]
        if scope["product_id"]:
            domain.append(("project_id.product_id", "=", scope["product_id"]))
        if scope["manager_id"]:
            domain.append(("project_id.manager_id", "=", scope["manager_id"]))
        if scope["project_ids"] is not None:
            domain.append(("project_id", "in", scope["project_ids"]))
        order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
        signals = self.env["guarantee.risk.signal"].sudo().search(domain, order="date desc")
        return sorted(signals, key=lambda signal: order.get(signal.severity, 9))

    # ------------------------------------------------------------------ both

    @api.model
    def indicators(self, date_from, date_to, company=None, product_id=None, manager_id=None):
        """The position at the period end together with the period's flows."""
        return {
            "position": self.position(date_to, company, product_id, manager_id),
            "period": self.period(date_from, date_to, company, product_id, manager_id),
        }

    @api.model
    def month_bounds(self, day):
        """First and last day of the month of ``day``."""
        first = day.replace(day=1)
        return first, first + relativedelta(months=1) - timedelta(days=1)

    @api.model
    def _as_date(self, value):
        if isinstance(value, date_type):
            return value
        return fields.Date.to_date(value) if value else fields.Date.context_today(self)
