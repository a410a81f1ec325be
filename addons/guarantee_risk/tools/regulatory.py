"""Regulatory arithmetic of financing guarantees, as pure functions (no ORM).

Sources: 融资担保公司监督管理条例 (2017) and 融资担保责任余额计量办法 (2018). A reader who wants
to know how the financing liability balance (责任余额), the leverage (放大倍数) and the
concentration ratios are computed reads this file only; the models call it.
"""

from collections import defaultdict

from odoo.addons.guarantee_platform.tools.money import fen_float

# Per-borrower totals of in-force loan-guarantee balance up to which the 75% weight applies.
# Both thresholds are inclusive: ¥5,000,000.00 is weighted 75%, ¥5,000,000.01 is not.
SMALL_MICRO_THRESHOLD = 5_000_000
FARM_HOUSEHOLD_THRESHOLD = 2_000_000
REDUCED_LOAN_WEIGHT = 0.75
BOND_HIGH_GRADE_WEIGHT = 0.80
HOUSING_WEIGHT = 0.30
FULL_WEIGHT = 1.0

BOND_HIGH_GRADE_RATINGS = ("AAA", "AA+", "AA")
FINANCING_TYPES = ("loan", "bond", "other_financing", "housing")
SMALL_MICRO_SCALES = ("small", "micro")

LEVERAGE_LIMIT = 10.0
LEVERAGE_LIMIT_SMALL_MICRO_AGRICULTURE = 15.0
SINGLE_PARTY_LIMIT_PCT = 10.0
RELATED_GROUP_LIMIT_PCT = 15.0


def is_farm_household(is_company, is_agricultural):
    """A person (not a company) marked agricultural is a farm household (农户)."""
    return bool(is_agricultural) and not is_company


def loan_weight(
    borrower_loan_balance, enterprise_scale=None, is_company=True, is_agricultural=False
):
    """Weight of a loan guarantee, from the borrower's total in-force loan-guarantee balance.

    75% for a farm household up to ¥2,000,000 and for a small or micro enterprise up to
    ¥5,000,000 (both inclusive, on the total of the borrower); 100% otherwise.
    """
    total = fen_float(borrower_loan_balance)
    if is_farm_household(is_company, is_agricultural):
        return REDUCED_LOAN_WEIGHT if total <= FARM_HOUSEHOLD_THRESHOLD else FULL_WEIGHT
    if enterprise_scale in SMALL_MICRO_SCALES and total <= SMALL_MICRO_THRESHOLD:
        return REDUCED_LOAN_WEIGHT
    return FULL_WEIGHT


def bond_weight(issuer_rating):
    """80% for a bond whose issuer is rated AA or above, 100% for any other bond."""
    return BOND_HIGH_GRADE_WEIGHT if issuer_rating in BOND_HIGH_GRADE_RATINGS else FULL_WEIGHT


def liability_weight(
    business_type,
    borrower_loan_balance=0.0,
    enterprise_scale=None,
    is_company=True,
    is_agricultural=False,
    issuer_rating=None,
):
    """Weight of one guarantee's balance in the financing liability balance (0 = excluded)."""
    if business_type == "loan":
        return loan_weight(borrower_loan_balance, enterprise_scale, is_company, is_agricultural)
    if business_type == "bond":
        return bond_weight(issuer_rating)
    if business_type == "housing":
        return HOUSING_WEIGHT
    if business_type == "other_financing":
        return FULL_WEIGHT
    return 0.0


def weighted(balance, weight):
    return fen_float(balance * weight)


def leverage_limit(mainly_small_micro_agriculture):
    """放大倍数 limit: 10, or 15 for a company mainly serving small/micro firms and 三农."""
    return (
        LEVERAGE_LIMIT_SMALL_MICRO_AGRICULTURE if mainly_small_micro_agriculture else LEVERAGE_LIMIT
    )


def leverage(liability_balance, net_assets):
    """Financing liability balance / net assets; None when net assets are not positive."""
    return liability_balance / net_assets if net_assets > 0 else None


def share_of_net_assets(amount, net_assets):
    """``amount`` as a percentage of net assets; None when net assets are not positive."""
    return amount * 100.0 / net_assets if net_assets > 0 else None


def exposure(
    borrower,
    business_type,
    balance,
    issuer_rating=None,
    enterprise_scale=None,
    is_company=True,
    is_agricultural=False,
    group=None,
):
    """One row of a portfolio, as ``portfolio_liability`` reads it (and the SQL returns it)."""
    return (
        borrower,
        business_type,
        issuer_rating,
        balance,
        enterprise_scale,
        is_company,
        is_agricultural,
        group,
    )


# The regulator's weight categories of the financing liability balance (责任余额计量表), as the
# reported figures and the portfolio aggregates read them from one project's balance and liability
# balance: a loan or bond weighted below 100% shows as a liability balance below its balance.
# (key, business type, weight, reduced weight: True when the liability balance is below the
# balance, False when it is not, None when the type has one weight). The SQL below is built from
# this table; it is the only place the categories and their weights are written.
REPORTED_WEIGHT_CATEGORIES = (
    ("loan_75", "loan", REDUCED_LOAN_WEIGHT, True),
    ("loan_100", "loan", FULL_WEIGHT, False),
    ("bond_80", "bond", BOND_HIGH_GRADE_WEIGHT, True),
    ("bond_100", "bond", FULL_WEIGHT, False),
    ("other_100", "other_financing", FULL_WEIGHT, None),
    ("housing_30", "housing", HOUSING_WEIGHT, None),
)
REPORTED_NON_FINANCING = "non_financing"


def reported_weight_category(business_type, balance, liability_balance):
    """The reported weight category of one project (the SQL of
    ``reported_weight_category_sql`` computes the same)."""
    for key, category_type, _weight, reduced in REPORTED_WEIGHT_CATEGORIES:
        if category_type == business_type and reduced in (None, liability_balance < balance):
            return key
    return REPORTED_NON_FINANCING


def reported_weight_category_sql(alias):
    """A SQL ``CASE`` giving the reported weight category of a row ``alias`` that has the
    columns business_type, balance and liability_balance; ``alias`` is a SQL identifier
    written by the caller, never user input."""
    if not alias.isidentifier():
        raise ValueError(f"Not a SQL alias: {alias!r}")
    whens = []
    for business_type in dict.fromkeys(row[1] for row in REPORTED_WEIGHT_CATEGORIES):
        rows = [row for row in REPORTED_WEIGHT_CATEGORIES if row[1] == business_type]
        if len(rows) == 1:
            whens.append(f"WHEN '{business_type}' THEN '{rows[0][0]}'")
            continue
        reduced = next(row[0] for row in rows if row[3])
        full = next(row[0] for row in rows if row[3] is False)
        whens.append(
            f"WHEN '{business_type}' THEN CASE WHEN {alias}.liability_balance < {alias}.balance"
            f" THEN '{reduced}' ELSE '{full}' END"
        )
    return (
        f" CASE {alias}.business_type {' '.join(whens)}"
        f" ELSE '{REPORTED_NON_FINANCING}' END "
    )


# Weight categories of the exposure ledger: what a row's weight depends on, besides the
# borrower's total loan balance (which decides between 75% and 100% for the first two).
WEIGHT_CATEGORIES = (
    "loan_small_micro",
    "loan_farm",
    "loan",
    "bond_high",
    "bond",
    "other_financing",
    "housing",
    "non_financing",
)
CATEGORY_TYPES = {
    "loan_small_micro": "loan",
    "loan_farm": "loan",
    "loan": "loan",
    "bond_high": "bond",
    "bond": "bond",
    "other_financing": "other_financing",
    "housing": "housing",
    "non_financing": "non_financing",
}


def weight_category(
    business_type, issuer_rating=None, enterprise_scale=None, is_company=True, is_agricultural=False
):
    """The ledger category of a guarantee, from its type and its borrower's attributes."""
    if business_type == "loan":
        if is_farm_household(is_company, is_agricultural):
            return "loan_farm"
        if enterprise_scale in SMALL_MICRO_SCALES:
            return "loan_small_micro"
        return "loan"
    if business_type == "bond":
        return "bond_high" if issuer_rating in BOND_HIGH_GRADE_RATINGS else "bond"
    return business_type


def category_exposure(borrower, category, balance, group=None):
    """An ``exposure()`` row rebuilt from a ledger category (the inverse of
    ``weight_category``): the category carries every attribute the weight depends on."""
    return exposure(
        borrower,
        CATEGORY_TYPES[category],
        balance,
        issuer_rating=BOND_HIGH_GRADE_RATINGS[0] if category == "bond_high" else None,
        enterprise_scale=SMALL_MICRO_SCALES[0] if category == "loan_small_micro" else None,
        is_company=category != "loan_farm",
        is_agricultural=category == "loan_farm",
        group=group,
    )


def weigh_rows(rows):
    """The weighted amount of each row (same order), loans weighted on their borrower's
    total loan balance."""
    rows = list(rows)
    loan_totals = defaultdict(float)
    for row in rows:
        if row[1] == "loan":
            loan_totals[row[0]] += row[3]
    return [
        weighted(
            balance,
            liability_weight(
                business_type, loan_totals[borrower], scale, is_company, is_agri, rating
            ),
        )
        for borrower, business_type, rating, balance, scale, is_company, is_agri, _group in rows
    ]


def portfolio_liability(rows):
    """Fold per-borrower sums into the financing liability balance.

    ``rows`` are tuples built like ``exposure()``: (borrower (USCC or another key of the
    borrower), business type, issuer rating, in-force balance at own share, enterprise scale,
    is company, is agricultural, related-party group or None), typically one per
    (borrower, business type, rating) from a GROUP BY. Loans are weighted on the borrower's
    total loan balance. Returns ``(total, by_borrower, by_group)`` of weighted balances.
    """
    rows = list(rows)
    total = 0.0
    by_borrower = defaultdict(float)
    by_group = defaultdict(float)
    for row, amount in zip(rows, weigh_rows(rows)):
        borrower, group = row[0], row[7]
        total += amount
        by_borrower[borrower] += amount
        if group:
            by_group[group] += amount
    return fen_float(total), by_borrower, by_group


def add_exposure(before, rows, candidate):
    """``before`` (from ``portfolio_liability(rows)``) with the ``candidate`` row added.

    Only the candidate's borrower is weighed again (its loans may cross a threshold), so the
    portfolio is not folded twice. Returns ``(total, borrower_amount, group_amount)`` after,
    the group amount being the borrower's when the candidate has no group.
    """
    total, by_borrower, by_group = before
    borrower, group = candidate[0], candidate[7]
    borrower_rows = [row for row in rows if row[0] == borrower]
    borrower_after = portfolio_liability(borrower_rows + [candidate])[0]
    delta = borrower_after - by_borrower.get(borrower, 0.0)
    group_after = by_group.get(group, 0.0) + delta if group else borrower_after
    return fen_float(total + delta), borrower_after, group_after
