"""Reserve arithmetic of a financing-guarantee company (pure functions, no ORM).

Rates are percentages as the company settings hold them (50 means 50%). Amounts are rounded to
the fen (0.01) because they become journal-entry amounts.
"""

from odoo.addons.guarantee_platform.tools.money import fen_float as _fen


def unearned_premium_reserve(fee_income, rate):
    """未到期责任准备金: ``rate`` % of the year's guarantee fee income (never negative)."""
    return _fen(max(fee_income, 0.0) * rate / 100.0)


def reserve_difference(target, provisioned):
    """What to post so that the reserve reaches ``target``: negative releases the excess."""
    return _fen(target - provisioned)


def compensation_reserve_provision(
    balance_in_force, rate, cap_rate, provisioned_in_year, reserve_balance
):
    """担保赔偿准备金 to post now.

    The year's provision is ``rate`` % of the guarantee balance in force at the period end
    (own share, unweighted, financing and non-financing); what was already provisioned in the
    year is deducted, and the reserve is only topped up until it reaches ``cap_rate`` % of that
    balance (``reserve_balance`` is the reserve on the books, after losses written off against
    it). Never negative: this reserve is not released.
    """
    balance_in_force = max(balance_in_force, 0.0)
    year_target = balance_in_force * rate / 100.0
    room_under_cap = balance_in_force * cap_rate / 100.0 - reserve_balance
    return _fen(max(min(year_target - provisioned_in_year, room_under_cap), 0.0))


def compensation_receivable(compensations, recoveries, losses):
    """应收代偿款 still open: compensations paid − recoveries − losses written off."""
    return _fen(compensations - recoveries - losses)
