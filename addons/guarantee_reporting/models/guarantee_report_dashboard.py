from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from odoo.addons.guarantee_platform.tools.money import fen, ratio

# From the aggregate rows of the day (guarantee.position.aggregate), by province and section.
HEAT_MAP_QUERY = """
    WITH pos AS ({source})
    SELECT pos.region_id, pos.industry_section_id,
           SUM(pos.project_count), SUM(pos.balance),
           COALESCE(SUM(pos.balance) FILTER (WHERE pos.risk_class IN %(npl)s), 0)
      FROM pos
  GROUP BY 1, 2
"""

# Per A-role, from the daily flow aggregates of the period (guarantee.flow.aggregate).
STAFF_QUERY = """
    SELECT agg.manager_id, COALESCE(SUM(agg.compensation_amount), 0),
           COALESCE(SUM(agg.recovery_amount), 0)
      FROM {flows} agg
     WHERE agg.company_id = %(company_id)s {filters}
       AND agg.date BETWEEN %(date_from)s AND %(date_to)s
       AND (agg.compensation_count != 0 OR agg.recovery_amount != 0)
  GROUP BY agg.manager_id
"""

FEES_QUERY = """
    SELECT agg.manager_id, COALESCE(SUM(agg.fee_amount), 0),
           COALESCE(SUM(agg.fee_paid_amount) FILTER (WHERE agg.date_paid <= %(date_to)s), 0)
      FROM {flows} agg
     WHERE agg.company_id = %(company_id)s {filters}
       AND agg.date BETWEEN %(date_from)s AND %(date_to)s AND agg.fee_count != 0
  GROUP BY agg.manager_id
"""


class GuaranteeReportFigures(models.AbstractModel):
    _inherit = "guarantee.report.figures"

    @api.readonly
    @api.model
    def dashboard_data(self, filters=None):
        """Everything the dashboard shows, in one call, as JSON.

        ``filters``: date (ISO, default today), company_id, product_id, manager_id. The period
        of the flows and of the staff board is the month up to the date. Amounts are sent as
        numbers rounded to the fen (computed exactly, in Decimal); every figure comes with the
        action that opens its records.
        """
        filters = filters or {}
        day = self._as_date(filters.get("date"))
        company = self.env["res.company"].browse(filters.get("company_id")) or self.env.company
        product_id = filters.get("product_id") or None
        manager_id = filters.get("manager_id") or None
        scope = self._scope(company, product_id, manager_id)
        date_from = day.replace(day=1)
        position = self.position(day, company, product_id, scope["manager_id"])
        period = self.period(date_from, day, company, product_id, scope["manager_id"])
        months = [date_from - relativedelta(days=1) - relativedelta(months=n)
                  for n in range(10, -1, -1)]
        trend = self.trend([self.month_bounds(m)[1] for m in months] + [day], company,
                           product_id, scope["manager_id"])
        return {
            "date": fields.Date.to_string(day),
            "date_from": fields.Date.to_string(date_from),
            "currency": company.currency_id.symbol or "",
            "filters": self._dashboard_options(company, scope),
            "exposure": self._dashboard_exposure(position, period, scope, day),
            "limits": [dict(limit, amount=float(limit["amount"]), cap=float(limit["cap"]),
                            headroom=float(limit["headroom"]), usage=_float(limit["usage"]))
                       for limit in position["limits"]],
            "trend": [{"date": fields.Date.to_string(p["date"]), "balance": float(p["balance"]),
                       "liability_balance": float(p["liability_balance"]),
                       "npl_rate": _float(p["npl_rate"])} for p in trend],
            "heat_map": self._heat_map(scope, day, position),
            "staff": self._staff_board(scope, date_from, day),
        }

    @api.model
    def _dashboard_options(self, company, scope):
        """The choices of the filters (what the user may see) and the current values."""
        products = self.env["guarantee.product"].search(
            [("company_id", "in", [company.id, False])])
        if scope["project_ids"] is not None:
            # a project manager's figures are those of their projects, A-role or B-role
            managers = self.env.user
        elif scope["manager_id"]:
            managers = self.env["res.users"].browse(scope["manager_id"])
        else:
            managers = self.env["res.users"].search([
                ("groups_id", "in", self.env.ref(
                    "guarantee_base.group_guarantee_project_manager").id),
                ("company_ids", "in", company.id),
            ])
        return {
            "company_id": company.id,
            "product_id": scope["product_id"] or False,
            "manager_id": scope["manager_id"] or False,
            "companies": [{"id": c.id, "name": c.name} for c in self.env.user.company_ids],
            "products": [{"id": p.id, "name": p.name} for p in products],
            "managers": [{"id": u.id, "name": u.name} for u in managers],
            # a project manager's figures are those of their projects whatever they choose
            "manager_locked": scope["project_ids"] is not None,
        }

    @api.model
    def _position_domain(self, scope, day, position):
        """Domain and model of the records behind a position: the projects in force for
        today, the snapshot rows of the day read for a past date."""
        if position["snapshot_date"]:
            domain = [("company_id", "=", scope["company_id"]),
                      ("date", "=", fields.Date.to_string(position["snapshot_date"]))]
            model = "guarantee.report.position"
        else:
            domain = [("company_id", "=", scope["company_id"]), ("state", "=", "active")]
            model = "guarantee.project"
        for key in ("product_id", "manager_id"):
            if scope[key]:
                domain.append((key, "=", scope[key]))
        return model, domain

    @api.model
    def _dashboard_exposure(self, position, period, scope, day):
        model, domain = self._position_domain(scope, day, position)
        flow_domain = [("company_id", "=", scope["company_id"]),
                       ("date", ">=", fields.Date.to_string(day.replace(day=1))),
                       ("date", "<=", fields.Date.to_string(day))]
        for key in ("product_id", "manager_id"):
            if scope[key]:
                flow_domain.append((key, "=", scope[key]))

        def card(key, label, value, kind, res_model, card_domain):
            return {"key": key, "label": label, "value": _float(value), "kind": kind,
                    "action": _list_action(label, res_model, card_domain)}

        npl_domain = domain + [("risk_class", "in", ["substandard", "doubtful", "loss"])]
        return [
            card("balance", _("Balance in force"), position["balance"], "money", model, domain),
            card("liability_balance", _("Financing liability balance"),
                 position["liability_balance"], "money", model,
                 domain + [("business_type", "!=", "non_financing")]),
            card("leverage", _("Leverage"), position["leverage"], "ratio", model, domain),
            card("npl_rate", _("Non-performing rate"), position["npl_rate"], "pct", model,
                 npl_domain),
            card("new", _("New guarantees"), period["new"], "money", "guarantee.report.flow",
                 flow_domain + [("kind", "=", "new")]),
            card("released", _("Released guarantees"), period["released"], "money",
                 "guarantee.report.flow", flow_domain + [("kind", "=", "released")]),
            card("compensation", _("Compensation paid"), period["compensation"], "money",
                 "guarantee.report.flow", flow_domain + [("kind", "=", "compensation")]),
            card("compensation_rate", _("Compensation rate"), period["compensation_rate"],
                 "pct", "guarantee.report.flow",
                 flow_domain + [("kind", "in", ["compensation", "released"])]),
        ]

    @api.model
    def _heat_map(self, scope, day, position):
        """Region × industry section: balance and NPL rate, each cell opening its records."""
        source, params = self._aggregate_source(scope, day)
        params["npl"] = ("substandard", "doubtful", "loss")
        self.env.cr.execute(HEAT_MAP_QUERY.format(source=source), params)
        rows = self.env.cr.fetchall()
        regions = self.env["res.country.state"].browse({r[0] for r in rows if r[0]})
        sections = self.env["res.partner.industry"].browse({r[1] for r in rows if r[1]})
        region_names = {r.id: r.name for r in regions}
        section_names = {s.id: s.name for s in sections}
        no_region, no_section = self.env._("No province"), self.env._("No industry")
        model, domain = self._position_domain(scope, day, position)
        industry_field = ("industry_section_id" if model == "guarantee.report.position"
                          else "industry_id")
        cells = []
        for region_id, section_id, count, balance, npl in rows:
            cell_domain = domain + [("region_id", "=", region_id or False)]
            if section_id and industry_field == "industry_id":
                cell_domain.append(("industry_id", "child_of", section_id))
            else:
                cell_domain.append((industry_field, "=", section_id or False))
            label = "%s · %s" % (region_names.get(region_id, no_region),
                                 section_names.get(section_id, no_section))
            cells.append({
                "region_id": region_id or 0, "section_id": section_id or 0, "count": count,
                "balance": float(fen(balance)), "npl_rate": _float(ratio(npl, balance)),
                "action": _list_action(label, model, cell_domain),
            })
        return {
            "regions": sorted(({"id": key or 0, "name": region_names.get(key, no_region)}
                               for key in {r[0] for r in rows}), key=lambda r: r["name"]),
            "sections": sorted(({"id": key or 0, "name": section_names.get(key, no_section)}
                                for key in {r[1] for r in rows}), key=lambda s: s["name"]),
            "cells": cells,
        }

    @api.model
    def _staff_board(self, scope, date_from, date_to):
        """Per project manager: projects whose loan was released in the period (the count is
        the number of records its drill-down lists), days from acceptance to release, fee
        collection rate, compensation and recovery of the period."""
        params = dict(scope, date_from=date_from, date_to=date_to)
        filters = self._where_filters("agg", None)
        flows = self._flow_table(params)
        cycle = {row[0]: (row[1], row[2]) for row in self._manager_cycle(params)}
        self.env.cr.execute(FEES_QUERY.format(flows=flows, filters=filters), params)
        fees = {manager: (due, paid) for manager, due, paid in self.env.cr.fetchall()}
        self.env.cr.execute(STAFF_QUERY.format(flows=flows, filters=filters), params)
        money = {manager: (comp, rec) for manager, comp, rec in self.env.cr.fetchall()}
        managers = self.env["res.users"].browse(
            [m for m in set(cycle) | set(fees) | set(money) if m])
        board = []
        date_from_s, date_to_s = fields.Date.to_string(date_from), fields.Date.to_string(date_to)
        for manager in managers.sorted("name"):
            count, days = cycle.get(manager.id, (0, None))
            due, paid = fees.get(manager.id, (0, 0))
            compensation, recovery = money.get(manager.id, (0, 0))
            if not (count or due or compensation or recovery):
                continue
            board.append({
                "manager_id": manager.id,
                "name": manager.name,
                "completed": count,
                "cycle_days": _float(days, 1),
                "fee_collection_rate": _float(ratio(paid, due)),
                "compensation": float(fen(compensation)),
                "recovery": float(fen(recovery)),
                "action": _list_action(
                    _("Projects activated by %(manager)s", manager=manager.name),
                    "guarantee.project",
                    self._manager_cycle_domain(dict(scope, manager_id=manager.id),
                                               date_from, date_to)),
                "compensation_action": _list_action(
                    _("Compensation of %(manager)s", manager=manager.name),
                    "guarantee.compensation",
                    [("project_id.manager_id", "=", manager.id), ("state", "=", "paid"),
                     ("date_paid", ">=", date_from_s), ("date_paid", "<=", date_to_s)]),
            })
        return board


def _float(value, places=6):
    return None if value is None else round(float(value), places)


def _list_action(name, model, domain):
    return {
        "type": "ir.actions.act_window",
        "name": name,
        "res_model": model,
        "views": [[False, "list"], [False, "form"]],
        "domain": domain,
        "target": "current",
    }
