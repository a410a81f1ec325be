"""Answers of the risk-sharing part of the partner API (re-guarantors and funds)."""

import datetime

from pydantic import BaseModel


class SharedProject(BaseModel):
    name: str
    applicant: str
    uscc: str
    bank: str
    currency: str
    amount: float
    share: float
    amount_covered: float
    outstanding_covered: float
    state: str
    loan_release_date: datetime.date | None
    date_end: datetime.date | None
    filing_state: str
    filing_reference: str
    filing_deadline: datetime.date
    date_filed: datetime.date | None


class SharedProjectPage(BaseModel):
    total: int
    items: list[SharedProject]


class SharedClaim(BaseModel):
    name: str
    project: str
    currency: str
    date_compensation: datetime.date | None
    principal: float
    interest: float
    amount: float
    amount_accepted: float
    amount_paid: float
    amount_outstanding: float
    date_sent: datetime.date | None
    date_deadline: datetime.date | None
    state: str
    reason: str


class SharedClaimPage(BaseModel):
    total: int
    items: list[SharedClaim]
