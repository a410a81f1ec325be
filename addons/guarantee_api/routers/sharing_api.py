"""Risk sharing in the partner API: a re-guarantor's (or fund's) key reads the projects filed
with it and the claims sent to it, nothing else. Same checks, answers and call log as every
partner call (``PartnerCall``); a key needs the "sharing" scope."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from odoo.api import Environment

from odoo.addons.fastapi.dependencies import odoo_env

from . import sharing_schemas
from .partner_api import ERRORS, ApiError, PartnerCall

router = APIRouter()

# What the counterparty sees: a filing it received, a claim it was sent.
FILED_STATES = ("filed", "accepted", "refused")
SENT_STATES = ("sent", "accepted", "paid", "refused")


def _day(value):
    return value.isoformat() if value else None


class SharingCall(PartnerCall):
    """One call of a sharing party: only the filings and claims that name it."""

    def _filings(self, domain=()):
        return self.env["guarantee.share.filing"].search([
            ("company_id", "=", self.key.company_id.id),
            ("partner_id", "=", self.key.partner_id.id),
            ("state", "in", FILED_STATES),
        ] + list(domain), order="id desc")

    def _claims(self, domain=()):
        return self.env["guarantee.share.claim"].search([
            ("company_id", "=", self.key.company_id.id),
            ("partner_id", "=", self.key.partner_id.id),
            ("state", "in", SENT_STATES),
        ] + list(domain), order="id desc")

    def _shared_project(self, filing):
        project = filing.project_id
        return {
            "name": project.name,
            "applicant": project.partner_id.name,
            # a person's ID number is masked, as in every answer (one place decides it)
            "uscc": project.partner_id._masked_value(
                "uscc", project.partner_id.uscc) or "",
            "bank": project.creditor_id.name or "",
            "currency": project.currency_id.name,
            "amount": project.amount,
            "share": filing.share,
            "amount_covered": filing.covered_amount,
            "outstanding_covered": project.currency_id.round(
                project.outstanding_principal * filing.share / 100.0),
            "state": project.state,
            "loan_release_date": _day(project.loan_release_date),
            "date_end": _day(project.date_end),
            "filing_state": filing.state,
            "filing_reference": filing.reference or "",
            "filing_deadline": _day(filing.date_deadline),
            "date_filed": _day(filing.date_filed),
        }

    def _shared_claim(self, claim):
        return {
            "name": claim.name,
            "project": claim.project_id.name,
            "currency": claim.currency_id.name,
            "date_compensation": _day(claim.date_compensation),
            "principal": claim.principal_part,
            "interest": claim.interest_part,
            "amount": claim.amount,
            "amount_accepted": claim.amount_accepted,
            "amount_paid": claim.amount_paid,
            "amount_outstanding": claim.amount_open if claim.state == "accepted" else (
                claim.amount if claim.state == "sent" else 0.0),
            "date_sent": _day(claim.date_sent),
            "date_deadline": _day(claim.date_deadline),
            "state": claim.state,
            "reason": claim.refuse_reason or claim.shortfall_reason or "",
        }

    def list_projects(self):
        filings = self._filings()
        return 200, {"total": len(filings),
                     "items": [self._shared_project(filing) for filing in filings]}

    def read_project(self, name):
        filing = self._filings([("project_id.name", "=", name)])[:1]
        if not filing:
            # the same answer for an unknown project and one not filed with this party
            raise ApiError(404, "not_found", self._("No project %(name)s filed with you.",
                                                    name=name))
        self.project = filing.project_id
        return 200, self._shared_project(filing)

    def list_claims(self):
        claims = self._claims()
        return 200, {"total": len(claims),
                     "items": [self._shared_claim(claim) for claim in claims]}

    def read_claim(self, name):
        claim = self._claims([("name", "=", name)])[:1]
        if not claim:
            raise ApiError(404, "not_found", self._("No claim %(name)s sent to you.",
                                                    name=name))
        self.project = claim.project_id
        return 200, self._shared_claim(claim)


@router.get("/sharing/projects", response_model=sharing_schemas.SharedProjectPage,
            responses=ERRORS, summary="The projects filed with the calling re-guarantor or fund")
async def get_shared_projects(request: Request,
                              env: Annotated[Environment, Depends(odoo_env)]):
    call = SharingCall(env, request, "sharing")
    return call.serve(call.list_projects)


@router.get("/sharing/projects/{name}", response_model=sharing_schemas.SharedProject,
            responses=ERRORS | {404: {"description": "Not filed with the caller"}},
            summary="One project filed with the caller, with its cover")
async def get_shared_project(name: str, request: Request,
                             env: Annotated[Environment, Depends(odoo_env)]):
    call = SharingCall(env, request, "sharing")
    return call.serve(call.read_project, name)


@router.get("/sharing/claims", response_model=sharing_schemas.SharedClaimPage,
            responses=ERRORS, summary="The compensation claims sent to the caller")
async def get_shared_claims(request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    call = SharingCall(env, request, "sharing")
    return call.serve(call.list_claims)


@router.get("/sharing/claims/{name}", response_model=sharing_schemas.SharedClaim,
            responses=ERRORS | {404: {"description": "Not sent to the caller"}},
            summary="One claim sent to the caller, with its settlement")
async def get_shared_claim(name: str, request: Request,
                           env: Annotated[Environment, Depends(odoo_env)]):
    call = SharingCall(env, request, "sharing")
    return call.serve(call.read_claim, name)
