from .reserves import (
    compensation_reserve_provision,
    compensation_receivable,
    reserve_difference,
    unearned_premium_reserve,
)
