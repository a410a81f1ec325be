import logging

from odoo import api, fields, models

from ..tools.regulatory import FINANCING_TYPES
from .guarantee_balance_snapshot import valid_on

_logger = logging.getLogger(__name__)

# The borrower key of the concentration figures: the applicant's USCC (ID number), or the
# partner itself without one (as guarantee.report.figures._top_parties groups).
PARTY_KEY = "COALESCE(NULLIF(partner.uscc, ''), 'partner-' || partner.id)"
# Per company, party and related group: the financing balance and liability balance of the
# rows of ``source`` (projects in force, or a day's snapshot rows), with their applicant.
GROUPED = f"""
    SELECT src.company_id, 'party', {PARTY_KEY}, MIN(partner.id), NULL::int,
           SUM(src.balance), SUM(src.liability_balance)
      FROM ({{source}}) src
      JOIN res_partner partner ON partner.id = src.partner_id
     WHERE src.business_type IN %(financing)s {{party_where}}
  GROUP BY 1, 3
    UNION ALL
    SELECT src.company_id, 'group', partner.related_group_id::varchar, NULL::int,
           partner.related_group_id, SUM(src.balance), SUM(src.liability_balance)
      FROM ({{source}}) src
      JOIN res_partner partner ON partner.id = src.partner_id
     WHERE src.business_type IN %(financing)s AND partner.related_group_id IS NOT NULL
           {{group_where}}
  GROUP BY 1, 3, 5
"""
LIVE = """
    SELECT project.company_id, project.partner_id, project.business_type,
           COALESCE(project.balance, 0) AS balance,
           COALESCE(project.liability_balance, 0) AS liability_balance
      FROM guarantee_project project
     WHERE project.state = 'active' AND project.active {where}
"""
SNAPSHOT = f"""
    SELECT snap.company_id, snap.partner_id, snap.business_type,
           COALESCE(snap.balance, 0) AS balance,
           COALESCE(snap.liability_balance, 0) AS liability_balance
      FROM guarantee_balance_snapshot snap
     WHERE {valid_on()} AND snap.company_id IN %(company_ids)s
"""
# The projects of the partners whose key or group is among those refreshed.
LIVE_OF_KEYS = LIVE.format(where="""
       AND project.partner_id IN (
           SELECT id FROM res_partner WHERE uscc = ANY(%(uscc)s) OR id = ANY(%(bare)s)
            UNION SELECT id FROM res_partner WHERE related_group_id = ANY(%(groups)s))
""")
INSERT = """
    INSERT INTO guarantee_position_party (date, company_id, kind, key, partner_id,
                                          related_group_id, balance, liability_balance,
                                          create_uid, create_date, write_uid, write_date)
    SELECT %(date)s::date, grouped.*, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
           NOW() AT TIME ZONE 'UTC'
      FROM ({grouped}) grouped
"""
STORED = """
    SELECT company_id, kind, key, partner_id, related_group_id, balance, liability_balance
      FROM guarantee_position_party
     WHERE date IS NOT DISTINCT FROM %(date)s::date AND company_id IN %(company_ids)s
"""


class GuaranteePositionParty(models.Model):
    """The financing balance and liability balance per company and day of each borrower (by
    USCC) and each related-party group: what the concentration figures (the ten largest
    borrowers and groups) read instead of the whole portfolio.

    Rows with a date are written by the snapshot job from that day's snapshot rows; today's
    rows (no date) are recomputed, in the transaction of every change, for the borrowers and
    groups of the projects changed (``guarantee.position.aggregate._refresh_projects``) and of
    the partners whose USCC or group changes; verified nightly with the portfolio aggregates.
    Written by SQL only."""

    _name = "guarantee.position.party"
    _description = "Portfolio per Borrower and Group"
    _order = "date desc, company_id, liability_balance desc"
    _rec_name = "key"

    date = fields.Date(readonly=True, index=True, help="Empty: today, kept up to date.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    kind = fields.Selection(
        [("party", "Borrower"), ("group", "Related-Party Group")], required=True, readonly=True
    )
    key = fields.Char(readonly=True, help="The borrower's USCC (or partner), or the group.")
    partner_id = fields.Many2one("res.partner", string="Borrower", readonly=True)
    related_group_id = fields.Many2one("guarantee.related.group", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(string="Financing Balance", readonly=True)
    liability_balance = fields.Monetary(readonly=True)

    def init(self):
        # The ten largest are read in the index's own order (the tie-breaker included), so
        # the plan stops after ten rows even when a new day's statistics are not gathered yet
        # (without partner_id the planner, estimating one row, sorted the whole day's rows).
        # Today's rows have their own partial index: `date IS NULL` is not an equality, so
        # the planner cannot skip the date column to read the liability order of the first.
        self.env.cr.execute("DROP INDEX IF EXISTS guarantee_position_party_top_idx")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_position_party_top_party_idx "
            "ON guarantee_position_party (company_id, kind, date, liability_balance DESC, "
            "partner_id)"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_position_party_today_top_idx "
            "ON guarantee_position_party (company_id, kind, liability_balance DESC, partner_id) "
            "WHERE date IS NULL"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_position_party_today_key_idx "
            "ON guarantee_position_party (kind, key) WHERE date IS NULL"
        )

    def _params(self, **params):
        return dict(params, financing=FINANCING_TYPES, uid=self.env.uid)

    @api.model
    def _refresh_partners(self, partner_ids, keys=(), groups=()):
        """Recompute today's rows of the borrowers and groups of ``partner_ids`` (and of
        ``keys`` and ``groups``, what those partners were before a change)."""
        cr = self.env.cr
        if partner_ids:
            cr.execute(
                f"SELECT {PARTY_KEY}, partner.related_group_id FROM res_partner partner "
                "WHERE partner.id = ANY(%s)",
                [list(partner_ids)],
            )
            for key, group in cr.fetchall():
                keys = {*keys, key}
                if group:
                    groups = {*groups, group}
        keys, groups = sorted(set(keys)), sorted(set(groups))
        if not keys and not groups:
            return
        params = self._params(
            date=None,
            keys=keys,
            group_keys=[str(g) for g in groups],
            groups=groups,
            uscc=[k for k in keys if not k.startswith("partner-")],
            bare=[int(k[8:]) for k in keys if k.startswith("partner-")],
        )
        cr.execute(
            "DELETE FROM guarantee_position_party WHERE date IS NULL AND "
            "((kind = 'party' AND key = ANY(%(keys)s)) OR "
            "(kind = 'group' AND key = ANY(%(group_keys)s)))",
            params,
        )
        grouped = GROUPED.format(
            source=LIVE_OF_KEYS,
            party_where=f"AND {PARTY_KEY} = ANY(%(keys)s)",
            group_where="AND partner.related_group_id = ANY(%(groups)s)",
        )
        cr.execute(INSERT.format(grouped=grouped), params)
        self.invalidate_model()

    @api.model
    def _rebuild_live(self):
        self.env.cr.execute("DELETE FROM guarantee_position_party WHERE date IS NULL")
        grouped = GROUPED.format(source=LIVE.format(where=""), party_where="", group_where="")
        self.env.cr.execute(INSERT.format(grouped=grouped), self._params(date=None))
        self.invalidate_model()

    @api.model
    def _write_day(self, date, companies):
        params = self._params(date=date, company_ids=tuple(companies.ids))
        self.env.cr.execute(
            "DELETE FROM guarantee_position_party WHERE date = %(date)s "
            "AND company_id IN %(company_ids)s",
            params,
        )
        grouped = GROUPED.format(source=SNAPSHOT, party_where="", group_where="")
        self.env.cr.execute(INSERT.format(grouped=grouped), params)
        self.invalidate_model()

    @api.model
    def _differences(self, date, company_ids):
        """Rows of ``date`` (None: today) that differ from a recomputation."""
        if not company_ids:
            return []
        cr = self.env.cr
        params = self._params(date=date, company_ids=tuple(company_ids))
        cr.execute(STORED, params)
        stored = {row[:5]: row[5:] for row in cr.fetchall()}
        source = SNAPSHOT if date else LIVE.format(
            where="AND project.company_id IN %(company_ids)s")
        cr.execute(GROUPED.format(source=source, party_where="", group_where=""), params)
        expected = {row[:5]: row[5:] for row in cr.fetchall()}
        return sorted(
            (
                key for key in set(stored) | set(expected)
                if key not in stored or key not in expected or any(
                    abs(float(a or 0) - float(b or 0)) > 0.005
                    for a, b in zip(stored[key], expected[key], strict=True)
                )
            ),
            key=str,
        )
