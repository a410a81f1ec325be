import logging
from collections import defaultdict

from odoo import _, api, fields, models

from odoo.addons.guarantee_platform.tools.money import fen_float

from ..tools import regulatory

_logger = logging.getLogger(__name__)

# Amount columns of a ledger row, in the order the SQL below reads and writes them.
AMOUNTS = ("balance", "liability_balance", "commitments", "liability_committed")
# States whose amount × own share is a commitment: approved, not yet in force.
COMMITTED_STATES = ("approved", "contracted")

# One row per (company, partner, business type, bond grade, currency) of the projects in force
# or committed, for the partners given (or all of them when %(partner_ids)s is NULL).
PROJECT_AGGREGATE = """
    SELECT project.company_id,
           project.partner_id,
           project.business_type,
           project.business_type = 'bond' AND project.issuer_rating IN %(high)s,
           project.currency_id,
           SUM(CASE WHEN project.state = 'active' THEN project.balance ELSE 0 END)::float,
           SUM(CASE WHEN project.state IN %(committed)s
                    THEN project.amount * project.own_share / 100 ELSE 0 END)::float
      FROM guarantee_project project
     WHERE project.state IN %(states)s
       AND project.business_type IS NOT NULL
       AND (%(partner_ids)s::int[] IS NULL OR project.partner_id = ANY(%(partner_ids)s::int[]))
  GROUP BY 1, 2, 3, 4, 5
"""

# The partners whose ledger rows must be rebuilt with ``partner_ids``: those sharing a borrower
# key (USCC) with them, now or in the ledger (a USCC just changed).
PARTNERS_OF_BORROWERS = """
    SELECT id FROM res_partner WHERE id = ANY(%(ids)s)
     UNION
    SELECT other.id
      FROM res_partner given
      JOIN res_partner other ON other.commercial_partner_id = given.commercial_partner_id
     WHERE given.id = ANY(%(ids)s)
     UNION
    SELECT other.id
      FROM res_partner given
      JOIN res_partner other ON other.uscc = given.uscc
     WHERE given.id = ANY(%(ids)s) AND given.uscc IS NOT NULL AND given.uscc != ''
     UNION
    SELECT other.partner_id
      FROM guarantee_exposure given
      JOIN guarantee_exposure other
        ON other.company_id = given.company_id AND other.borrower_key = given.borrower_key
     WHERE given.partner_id = ANY(%(ids)s) AND other.partner_id IS NOT NULL
"""


class GuaranteeExposure(models.Model):
    """Exposure ledger (敞口台账): what the limits check reads instead of the portfolio.

    One ``borrower`` row per company, partner, business type and weight category, with the
    in-force balance and the commitments (approved and contracted projects at amount × own
    share) in the company's currency, and their weighted figures; one ``company`` row per
    company with the totals. Rebuilt for the borrowers concerned in the transaction of every
    change of balance or state (``_refresh_partners``), so that approving a project reads a
    handful of rows whatever the size of the portfolio; verified nightly against a full
    recomputation (``_cron_verify``). Written by SQL only: nobody edits it.
    """

    _name = "guarantee.exposure"
    _description = "Exposure Ledger"
    _order = "company_id, scope, borrower_key, business_type, weight_category"
    _masked_fields = {"borrower_key": "id_number"}

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    scope = fields.Selection(
        [("borrower", "Borrower"), ("company", "Company Total")],
        required=True,
        readonly=True,
        default="borrower",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Borrower", readonly=True, index=True, ondelete="cascade"
    )
    borrower_key = fields.Char(
        readonly=True, index=True, help="USCC / ID number, or the partner when it has none."
    )
    related_group_id = fields.Many2one("guarantee.related.group", readonly=True, index=True)
    business_type = fields.Selection(
        [
            ("loan", "Loan Guarantee"),
            ("bond", "Bond Guarantee"),
            ("other_financing", "Other Financing Guarantee"),
            ("housing", "Housing Guarantee"),
            ("non_financing", "Non-Financing Guarantee"),
        ],
        readonly=True,
    )
    weight_category = fields.Selection(
        [
            ("loan_small_micro", "Loan, Small/Micro Enterprise"),
            ("loan_farm", "Loan, Farm Household"),
            ("loan", "Loan, Other Borrower"),
            ("bond_high", "Bond, Issuer AA or Above"),
            ("bond", "Bond, Other Issuer"),
            ("other_financing", "Other Financing"),
            ("housing", "Housing"),
            ("non_financing", "Non-Financing"),
        ],
        readonly=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    balance = fields.Monetary(string="Balance in Force", readonly=True)
    liability_balance = fields.Monetary(readonly=True)
    commitments = fields.Monetary(
        readonly=True, help="Approved and contracted projects at amount × own share."
    )
    liability_committed = fields.Monetary(
        string="Liability incl. Commitments",
        readonly=True,
        help="Balance in force plus commitments, weighted: what the limits check counts.",
    )

    def init(self):
        cr = self.env.cr
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS guarantee_exposure_borrower_uniq "
            "ON guarantee_exposure (company_id, partner_id, business_type, "
            "weight_category) WHERE scope = 'borrower'"
        )
        cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS guarantee_exposure_company_uniq "
            "ON guarantee_exposure (company_id) WHERE scope = 'company'"
        )
        cr.execute(
            "CREATE INDEX IF NOT EXISTS guarantee_exposure_borrower_key_idx "
            "ON guarantee_exposure (company_id, borrower_key)"
        )
        self._recompute_all()

    # ------------------------------------------------------------------ computation

    @api.model
    def _expected_rows(self, partner_ids=None):
        """The ledger's borrower rows recomputed from the projects, for ``partner_ids`` (all
        partners when None): {(company, partner, type, category): [4 amounts, key, group]}."""
        self.env["guarantee.project"].flush_model(
            [
                "state",
                "balance",
                "amount",
                "own_share",
                "partner_id",
                "business_type",
                "issuer_rating",
                "currency_id",
                "company_id",
            ]
        )
        self.env["res.partner"].flush_model(
            ["uscc", "enterprise_scale", "is_company", "is_agricultural", "related_group_id",
             "commercial_partner_id"]
        )
        cr = self.env.cr
        cr.execute(
            PROJECT_AGGREGATE,
            {
                "high": regulatory.BOND_HIGH_GRADE_RATINGS,
                "committed": COMMITTED_STATES,
                "states": COMMITTED_STATES + ("active",),
                "partner_ids": list(partner_ids) if partner_ids is not None else None,
            },
        )
        aggregates = cr.fetchall()
        # A borrower is counted by its commercial entity: a contact person of a company
        # borrows as that company (its key, scale and related group).
        cr.execute(
            "SELECT partner.id, COALESCE(NULLIF(borrower.uscc, ''), 'partner-' || borrower.id), "
            "borrower.enterprise_scale, COALESCE(borrower.is_company, FALSE), "
            "COALESCE(borrower.is_agricultural, FALSE), "
            "COALESCE(borrower.related_group_id, partner.related_group_id) "
            "FROM res_partner partner "
            "JOIN res_partner borrower "
            "  ON borrower.id = COALESCE(partner.commercial_partner_id, partner.id) "
            "WHERE partner.id = ANY(%s)",
            [list({row[1] for row in aggregates})],
        )
        partners = {row[0]: row[1:] for row in cr.fetchall()}
        rate = self._rates({(row[0], row[4]) for row in aggregates})
        amounts = defaultdict(lambda: [0.0, 0.0])
        for (
            company_id,
            partner_id,
            business_type,
            high,
            currency_id,
            balance,
            committed,
        ) in aggregates:
            key, scale, is_company, is_agri, _group = partners[partner_id]
            category = regulatory.weight_category(
                business_type, "AAA" if high else None, scale, is_company, is_agri
            )
            factor = rate[(company_id, currency_id)]
            entry = amounts[(company_id, partner_id, business_type, category)]
            entry[0] += balance * factor
            entry[1] += committed * factor
        return self._weigh(amounts, partners)

    @api.model
    def _weigh(self, amounts, partners):
        """Weigh the rows of each borrower key together (loans on the borrower's total)."""
        keys = list(amounts)
        borrower = {k: (k[0], partners[k[1]][0]) for k in keys}
        in_force = regulatory.weigh_rows(
            regulatory.category_exposure(borrower[k], k[3], amounts[k][0]) for k in keys
        )
        committed = regulatory.weigh_rows(
            regulatory.category_exposure(borrower[k], k[3], sum(amounts[k])) for k in keys
        )
        return {
            k: [
                fen_float(amounts[k][0]),
                in_force[i],
                fen_float(amounts[k][1]),
                committed[i],
                borrower[k][1],
                partners[k[1]][4],
            ]
            for i, k in enumerate(keys)
        }

    @api.model
    def _rates(self, company_currencies):
        """Rate of each (company, currency) to the company's currency, today."""
        today = fields.Date.context_today(self)
        rates = {}
        for company_id, currency_id in company_currencies:
            company = self.env["res.company"].browse(company_id)
            currency = self.env["res.currency"].browse(currency_id)
            rates[(company_id, currency_id)] = (
                1.0
                if currency == company.currency_id
                else currency._get_conversion_rate(currency, company.currency_id, company, today)
            )
        return rates

    # ------------------------------------------------------------------ upkeep

    @api.model
    def _refresh_partners(self, partners):
        """Rebuild the rows of the borrowers of ``partners`` and move the company totals by
        the difference: called in the transaction of every change of balance or state."""
        if not partners:
            return
        cr = self.env.cr
        cr.execute(PARTNERS_OF_BORROWERS, {"ids": partners.ids})
        partner_ids = [row[0] for row in cr.fetchall()]
        self._replace(self._expected_rows(partner_ids), partner_ids)

    @api.model
    def _recompute_all(self):
        """Rebuild the whole ledger from the projects; returns the rows that differed."""
        expected = self._expected_rows()
        differences = self._differences(expected, self._stored_rows())
        self._replace(expected, None)
        return differences

    @api.model
    def _stored_rows(self, partner_ids=None):
        self.env.cr.execute(
            "SELECT company_id, partner_id, business_type, weight_category, balance, "
            "liability_balance, commitments, liability_committed FROM guarantee_exposure "
            "WHERE scope = 'borrower' AND (%(ids)s::int[] IS NULL OR partner_id = ANY(%(ids)s))",
            {"ids": partner_ids},
        )
        return {
            tuple(row[:4]): [float(a or 0.0) for a in row[4:]] for row in self.env.cr.fetchall()
        }

    @api.model
    def _differences(self, expected, stored):
        """Keys whose amounts differ by more than a fen between ``expected`` and ``stored``."""
        zero = [0.0] * len(AMOUNTS)
        return sorted(
            (
                key
                for key in set(expected) | set(stored)
                if any(
                    abs(a - b) > 0.005
                    for a, b in zip(expected.get(key, zero)[:4], stored.get(key, zero))
                )
            ),
            key=str,
        )

    @api.model
    def _replace(self, expected, partner_ids):
        """Swap the stored rows of ``partner_ids`` (every row when None) for ``expected`` and
        move (or, for a full rebuild, set) the company totals."""
        cr = self.env.cr
        full = partner_ids is None
        if full:
            cr.execute("SELECT company_id FROM guarantee_exposure WHERE scope = 'company'")
        else:
            cr.execute(
                "SELECT DISTINCT company_id FROM guarantee_exposure WHERE partner_id = ANY(%s)",
                [partner_ids],
            )
        companies = sorted({key[0] for key in expected} | {row[0] for row in cr.fetchall()})
        # Company rows first, in a fixed order: every writer and the approval gate lock them
        # in the same order, so they serialise without deadlocks.
        self._lock_companies(companies)
        stored = {} if full else self._stored_rows(partner_ids)
        delta = defaultdict(lambda: [0.0] * len(AMOUNTS))
        for key, values in expected.items():
            for i in range(len(AMOUNTS)):
                delta[key[0]][i] += values[i]
        for key, values in stored.items():
            for i in range(len(AMOUNTS)):
                delta[key[0]][i] -= values[i]
        if full:
            cr.execute("DELETE FROM guarantee_exposure WHERE scope = 'borrower'")
            cr.execute(
                "UPDATE guarantee_exposure SET balance = 0, liability_balance = 0, "
                "commitments = 0, liability_committed = 0 WHERE scope = 'company'"
            )
        else:
            cr.execute("DELETE FROM guarantee_exposure WHERE partner_id = ANY(%s)", [partner_ids])
        self._insert_borrower_rows(expected)
        self._move_totals(delta)
        self.invalidate_model()

    @api.model
    def _lock_companies(self, company_ids):
        """Lock the company rows (SELECT … FOR UPDATE), creating those that are missing: one
        query once they exist.

        Under PostgreSQL's repeatable read, locking a row that another transaction changed
        after this one began raises a serialization failure, which Odoo answers by running
        the request again on fresh figures: two approvals cannot both pass on stale totals.
        """
        if not company_ids:
            return
        if self._lock_company_rows(company_ids) == len(set(company_ids)):
            return
        self.env.cr.execute(
            "INSERT INTO guarantee_exposure (company_id, scope, balance, liability_balance, "
            "commitments, liability_committed, create_uid, write_uid, create_date, write_date) "
            "SELECT c, 'company', 0, 0, 0, 0, %(uid)s, %(uid)s, now() at time zone 'UTC', "
            "now() at time zone 'UTC' FROM unnest(%(ids)s::int[]) AS c "
            "ON CONFLICT (company_id) WHERE scope = 'company' DO NOTHING",
            {"ids": list(company_ids), "uid": self.env.uid},
        )
        self._lock_company_rows(company_ids)

    @api.model
    def _lock_company_rows(self, company_ids):
        """Lock the existing company rows in company order; returns how many there are."""
        self.env.cr.execute(
            "SELECT id FROM guarantee_exposure WHERE scope = 'company' AND company_id = ANY(%s) "
            "ORDER BY company_id FOR UPDATE",
            [list(company_ids)],
        )
        return self.env.cr.rowcount

    @api.model
    def _insert_borrower_rows(self, expected):
        rows = [
            (company_id, partner_id, business_type, category, *values)
            for (company_id, partner_id, business_type, category), values in expected.items()
        ]
        if not rows:
            return
        self.env.cr.execute(
            "INSERT INTO guarantee_exposure (company_id, partner_id, business_type, "
            "weight_category, balance, liability_balance, commitments, liability_committed, "
            "borrower_key, related_group_id, scope, create_uid, write_uid, create_date, "
            "write_date) "
            "SELECT r.*, 'borrower', %(uid)s, %(uid)s, now() at time zone 'UTC', "
            "now() at time zone 'UTC' FROM unnest(%(c)s::int[], %(p)s::int[], %(t)s::varchar[], "
            "%(w)s::varchar[], %(b)s::numeric[], %(l)s::numeric[], %(m)s::numeric[], "
            "%(lc)s::numeric[], %(k)s::varchar[], %(g)s::int[]) AS r",
            {
                "uid": self.env.uid,
                **{
                    name: [row[i] for row in rows]
                    for i, name in enumerate(("c", "p", "t", "w", "b", "l", "m", "lc", "k", "g"))
                },
            },
        )

    @api.model
    def _move_totals(self, delta):
        """Add ``delta`` to the company rows."""
        if not delta:
            return
        self.env.cr.execute(
            "UPDATE guarantee_exposure SET balance = guarantee_exposure.balance + d.balance, "
            "liability_balance = guarantee_exposure.liability_balance + d.liability_balance, "
            "commitments = guarantee_exposure.commitments + d.commitments, "
            "liability_committed = guarantee_exposure.liability_committed "
            "+ d.liability_committed, write_date = now() at time zone 'UTC' "
            "FROM unnest(%s::int[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[]) "
            "AS d(company_id, balance, liability_balance, commitments, liability_committed) "
            "WHERE guarantee_exposure.scope = 'company' "
            "AND guarantee_exposure.company_id = d.company_id",
            [list(delta)]
            + [[fen_float(values[i]) for values in delta.values()] for i in range(len(AMOUNTS))],
        )

    # ------------------------------------------------------------------ nightly

    @api.model
    def _cron_verify(self):
        """Recompute the ledger from the projects; on any difference, log it, tell the
        administrators and keep the recomputed figures."""
        differences = self._recompute_all()
        if differences:
            _logger.error(
                "Exposure ledger differed from the projects on %s rows, e.g. %s; rebuilt.",
                len(differences),
                differences[:5],
            )
            self._notify_admins(differences)
        return differences

    @api.model
    def _notify_admins(self, differences):
        companies = self.env["res.company"].browse({key[0] for key in differences})
        note = _(
            "The exposure ledger differed from a full recomputation on %(count)s rows "
            "(company, borrower, type, category): %(rows)s. It has been rebuilt; find out "
            "which change bypassed it.",
            count=len(differences),
            rows=", ".join(str(key) for key in differences[:20]),
        )
        companies._notify_guarantee_admins(_("Exposure ledger rebuilt"), note)
