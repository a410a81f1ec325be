"""The partner REST API under /api/guarantee/v1 (OCA fastapi).

Every call goes through ``PartnerCall.serve``: the key (401, one answer whatever the cause),
the IP allow-list (403), the scope (403), the rate limit (429), and for writes the
idempotency key, the size limit (413), the JSON (400/422); then the handler in a savepoint,
undone on any refusal; and one line of the call log. Refusals are answered, not raised, so
that the log line is committed with the answer.
"""

import base64
import binascii
import hashlib
import json
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticValidationError

from odoo import SUPERUSER_ID
from odoo.api import Environment
from odoo.exceptions import UserError, ValidationError

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.guarantee_base.tools import identifiers

from . import schemas

router = APIRouter()

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_DOCUMENT_PARAM = "guarantee_api.max_document_bytes"
MAX_REQUEST_PARAM = "guarantee_api.max_request_bytes"
DEFAULT_MAX_DOCUMENT = 10 * 1024 * 1024
DEFAULT_MAX_REQUEST = 30 * 1024 * 1024
MAX_PAGE_SIZE = 200

ERRORS = {
    400: {"model": schemas.Error, "description": "Malformed JSON or no idempotency key"},
    401: {"model": schemas.Error, "description": "Missing, unknown or revoked key"},
    403: {"model": schemas.Error, "description": "Address or scope not allowed"},
    429: {"model": schemas.Error, "description": "Rate limit reached"},
}
WRITE_ERRORS = ERRORS | {
    409: {"model": schemas.Error, "description": "Idempotency key reused with another body"},
    413: {"model": schemas.Error, "description": "Request or document too large"},
    422: {"model": schemas.Error, "description": "Invalid body or refused by a business rule"},
}


class ApiError(Exception):
    """A refusal answered with ``status`` and ``{"error": {"code", "message"}}``."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


# schemas of the request bodies, added to the OpenAPI document's components
BODY_COMPONENTS = {}


def _json_body(schema):
    """The request body of ``schema`` in the OpenAPI document (the body is read by hand, so
    that a malformed one is answered and logged like every other refusal)."""
    definition = schema.model_json_schema(ref_template="#/components/schemas/{model}")
    BODY_COMPONENTS.update(definition.pop("$defs", {}))
    BODY_COMPONENTS[schema.__name__] = definition
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/%s" % schema.__name__}}}}}


class PartnerCall:
    """One call of a partner: its checks, its handler, its answer and its log line."""

    def __init__(self, env, request, scope):
        # the API's own user only runs the endpoint; the key decides what is visible
        self.env = env(user=SUPERUSER_ID, su=True)
        self.request = request
        self.scope = scope
        self.started = time.monotonic()
        self.key = self.env["guarantee.api.key"]
        self.idempotency_key = False
        self.project = self.env["guarantee.project"]
        self.replayed = False

    def _(self, source, **kwargs):
        return self.env._(source, **kwargs)

    # ------------------------------------------------------------------ entry points

    def serve(self, handler, *args):
        """Answer a read: ``handler(*args)`` returns (status, answer)."""
        try:
            self._check_access()
            status, answer = handler(*args)
        except ApiError as error:
            return self._refuse(error)
        return self._answer(status, answer)

    async def serve_write(self, handler):
        """Answer a write: ``handler(data)`` runs once per idempotency key. The body is read
        only for an authorised call whose declared size is within the limit."""
        try:
            self._check_access()
            self._check_idempotency_key()
            limit = self._param(MAX_REQUEST_PARAM, DEFAULT_MAX_REQUEST)
            if self._declared_length() > limit:
                raise ApiError(413, "request_too_large", self._("The request is too large."))
            body = await self.request.body()
            if len(body) > limit:
                raise ApiError(413, "request_too_large", self._("The request is too large."))
            status, answer = self._run_once(self._parse_json(body), handler)
        except ApiError as error:
            return self._refuse(error)
        return self._answer(status, answer)

    # ------------------------------------------------------------------ checks

    def _check_access(self):
        headers = self.request.headers
        authorization = headers.get("Authorization", "")
        plain_key = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
        key = self.env["guarantee.api.key"]._authenticate(plain_key or headers.get("X-API-Key"))
        if not key:
            raise ApiError(401, "unauthorized",
                           self._("The API key is missing, unknown or revoked."))
        self.env = self.env(context=dict(self.env.context, allowed_company_ids=[
            key.company_id.id]))
        self.key = key.with_env(self.env)
        if not self.key._address_allowed(self._remote_addr()):
            raise ApiError(403, "address_not_allowed",
                           self._("Calls from this address are not allowed for this key."))
        if not self.key._has_scope(self.scope):
            raise ApiError(403, "scope_denied",
                           self._("This key may not use this part of the API."))
        if self.key._rate_exceeded():
            raise ApiError(429, "rate_limited",
                           self._("Too many calls: at most %(limit)s per minute.",
                                  limit=self.key.rate_limit))

    def _check_idempotency_key(self):
        idempotency_key = (self.request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if not 0 < len(idempotency_key) <= 128:
            raise ApiError(400, "idempotency_key_required", self._(
                "Every write needs an Idempotency-Key header (at most 128 characters)."))
        self.idempotency_key = idempotency_key

    def _declared_length(self):
        try:
            return int(self.request.headers.get("Content-Length") or 0)
        except ValueError:
            return 0

    def _parse_json(self, body):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ApiError(400, "malformed_json", self._("The body is not a JSON object."))
        return data

    def _run_once(self, data, handler):
        """Run ``handler(data)`` unless this idempotency key already has an answer; undo
        everything it wrote when it refuses."""
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        request_hash = hashlib.sha256(
            ("%s %s\n%s" % (self.request.method, self.request.url.path, canonical)).encode()
        ).hexdigest()
        Idempotency = self.env["guarantee.api.idempotency"]
        try:
            with self.env.cr.savepoint():
                record, is_new = Idempotency._claim(self.key, self.idempotency_key,
                                                    request_hash)
                if not is_new:
                    return self._replay(record, request_hash)
                status, answer = self._handle(handler, data)
                record._store(status, answer)
                return status, answer
        except ApiError:
            # what the handler wrote is gone with the savepoint
            self.env.invalidate_all()
            self.project = self.env["guarantee.project"]
            raise

    def _replay(self, record, request_hash):
        if record.request_hash != request_hash:
            raise ApiError(409, "idempotency_conflict", self._(
                "This idempotency key was already used for another request."))
        self.replayed = True
        return record._answer()

    def _handle(self, handler, data):
        try:
            return handler(data)
        except PydanticValidationError as error:
            raise ApiError(422, "invalid_body", "; ".join(
                "%s: %s" % (".".join(str(part) for part in item["loc"]), item["msg"])
                for item in error.errors())) from None
        except (UserError, ValidationError) as error:
            raise ApiError(422, "refused", str(error.args[0])) from None

    # ------------------------------------------------------------------ answers

    def _refuse(self, error):
        headers = {"Retry-After": "60"} if error.status == 429 else None
        return self._answer(error.status, {"error": {
            "code": error.code, "message": error.message}}, headers=headers)

    def _answer(self, status, answer, headers=None):
        error = answer.get("error") or {}
        self.env["guarantee.api.call.log"].create({
            "key_id": self.key.id,
            "partner_id": self.key.partner_id.id,
            "company_id": self.key.company_id.id,
            "method": self.request.method,
            "path": self.request.url.path[:512],
            "remote_addr": self._remote_addr(),
            "idempotency_key": self.idempotency_key,
            "status_code": status,
            "error_code": error.get("code"),
            "message": error.get("message"),
            "project_id": self.project.id,
            "duration_ms": int((time.monotonic() - self.started) * 1000),
            "replayed": self.replayed,
        })
        return JSONResponse(answer, status_code=status, headers=headers)

    # ------------------------------------------------------------------ helpers

    def _remote_addr(self):
        return self.request.client.host if self.request.client else ""

    def _param(self, name, default):
        value = self.env["ir.config_parameter"].get_param(name)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    def _visible_projects(self, domain=()):
        return self.env["guarantee.project"].search(self.key._project_domain() + list(domain))

    def _state_label(self, project):
        return dict(project._fields["state"]._description_selection(self.env))[project.state]

    # ------------------------------------------------------------------ handlers

    def read_project(self, name):
        project = self.env["guarantee.project"].search(
            self.key._project_domain() + [("name", "=", name)], limit=1)
        if not project:
            # the same answer for an unknown project and another partner's
            raise ApiError(404, "not_found", self._("No project %(name)s of yours.", name=name))
        self.project = project
        fees = self.env["guarantee.fee"].search([("project_id", "=", project.id),
                                                 ("state", "!=", "cancelled")])
        return 200, {
            "name": project.name,
            "state": project.state,
            "state_label": self._state_label(project),
            "applicant": project.partner_id.name,
            "product": project.product_id.name,
            "currency": project.currency_id.name,
            "amount": project.amount,
            "balance": project.balance,
            "loan_amount_released": project.loan_amount_released,
            "principal_repaid": project.principal_repaid,
            "date_start": project.date_start and project.date_start.isoformat(),
            "date_end": project.date_end and project.date_end.isoformat(),
            "fees_due": sum(fee.amount - fee.amount_paid for fee in fees if fee.state == "due"),
            "fees_paid": sum(fees.mapped("amount_paid")),
            "fees": [{
                "date_due": fee.date_due.isoformat(), "amount": fee.amount,
                "amount_paid": fee.amount_paid, "state": fee.state,
            } for fee in fees],
        }

    def list_projects(self, page, page_size):
        page, page_size = self._paging(page, page_size)
        Project = self.env["guarantee.project"]
        domain = self.key._project_domain()
        projects = Project.search(domain, offset=(page - 1) * page_size, limit=page_size,
                                  order="id desc")
        return 200, {
            "total": Project.search_count(domain),
            "page": page,
            "page_size": page_size,
            "items": [{
                "name": project.name,
                "state": project.state,
                "state_label": self._state_label(project),
                "applicant": project.partner_id.name,
                "amount": project.amount,
                "balance": project.balance,
                "date_end": project.date_end and project.date_end.isoformat(),
            } for project in projects],
        }

    def _paging(self, page, page_size):
        """Page and page size read by hand, so that a bad one is answered and logged."""
        try:
            page, page_size = int(page), int(page_size)
        except ValueError:
            page = page_size = 0
        if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ApiError(422, "invalid_paging", self._(
                "The page must be 1 or more and the page size between 1 and %(max)s.",
                max=MAX_PAGE_SIZE))
        return page, page_size

    def submit_application(self, data):
        application = schemas.Application.model_validate(data)
        documents = self._decoded_documents(application.documents)
        company = self.key.company_id
        product = self.env["guarantee.product"].search([
            ("code", "=", application.product_code), ("company_id", "in", [company.id, False]),
        ], limit=1)
        if not product:
            raise ApiError(422, "unknown_product", self._(
                "No product with the code %(code)s.", code=application.product_code))
        project = self.env["guarantee.project"].with_company(company).create({
            "company_id": company.id,
            "partner_id": self._applicant(application.applicant).id,
            "product_id": product.id,
            "creditor_id": self._creditor(application.creditor_uscc).id,
            "amount": application.amount,
            "term_months": application.term_months,
            "date_start": application.date_start,
            "purpose": application.purpose,
            "manager_id": self.key.user_id.id,
            "api_source_partner_id": self.key.partner_id.id,
        })
        self.project = project
        self.env["ir.attachment"].create([{
            "name": name, "raw": raw, "mimetype": mimetype,
            "res_model": project._name, "res_id": project.id, "company_id": company.id,
        } for name, mimetype, raw in documents])
        project.message_post(body=self._(
            "Application submitted through the partner API by %(partner)s with %(count)s "
            "documents.", partner=self.key.partner_id.display_name, count=len(documents)))
        return 201, {"project": project.name, "state": project.state,
                     "state_label": self._state_label(project), "documents": len(documents)}

    def _decoded_documents(self, documents):
        limit = self._param(MAX_DOCUMENT_PARAM, DEFAULT_MAX_DOCUMENT)
        decoded = []
        for document in documents:
            try:
                raw = base64.b64decode(document.content, validate=True)
            except (binascii.Error, ValueError):
                raise ApiError(422, "invalid_document", self._(
                    "The document %(name)s is not base64.", name=document.name)) from None
            if len(raw) > limit:
                raise ApiError(413, "document_too_large", self._(
                    "The document %(name)s is larger than %(limit)s bytes.",
                    name=document.name, limit=limit))
            decoded.append((document.name, document.mimetype or None, raw))
        return decoded

    def _applicant(self, applicant):
        """The customer with this USCC in the key's company, created when new."""
        uscc = identifiers.normalize(applicant.uscc)
        company = self.key.company_id
        partner = self.env["res.partner"].search([
            ("uscc", "=", uscc), ("company_id", "in", [company.id, False]),
        ], limit=1)
        if partner:
            return partner
        return self.env["res.partner"].create({
            "name": applicant.name,
            "uscc": uscc,
            "is_company": applicant.is_company,
            "is_guarantee_customer": True,
            "enterprise_scale": applicant.enterprise_scale,
            "legal_representative": applicant.legal_representative,
            "phone": applicant.phone,
            "company_id": company.id,
            "user_id": self.key.user_id.id,
        })

    def _creditor(self, creditor_uscc):
        if self.key.partner_kind == "bank":
            return self.key.partner_id
        if not creditor_uscc:
            return self.env["res.partner"]
        creditor = self.env["res.partner"].search(
            [("uscc", "=", identifiers.normalize(creditor_uscc)), ("is_company", "=", True)],
            limit=1)
        if not creditor:
            raise ApiError(422, "unknown_creditor", self._(
                "No bank with the USCC %(uscc)s.", uscc=creditor_uscc))
        return creditor

    def receive_bank_notice(self, data):
        """Through the bank connector's own notification processing: same checks, same
        recording of the event id (a notice already received answers ``duplicate``)."""
        connector = self.key.bank_connector_id
        if not connector.active:
            raise ApiError(403, "no_bank_connector", self._(
                "No active bank connector receives the notices of this key."))
        connector = connector.with_company(connector.company_id)
        body = json.dumps(data, ensure_ascii=False).encode()
        status, answer = connector._inbound_handle(
            body, lambda payload, event: self.env["guarantee.bank.notification"].with_company(
                connector.company_id)._receive(connector, payload, event))
        if status >= 400:
            raise ApiError(422 if status == 400 else status,
                           "refused" if status == 403 else "invalid_notice",
                           answer.get("error") or answer.get("result"))
        project = self.env["guarantee.project"].search(self.key._project_domain() + [
            ("name", "=", str(data.get("project")))], limit=1)
        self.project = project
        return status, answer


# ---------------------------------------------------------------------- routes


@router.post("/applications", status_code=201, response_model=schemas.ApplicationAnswer,
             responses=WRITE_ERRORS, openapi_extra=_json_body(schemas.Application),
             summary="Submit an application with its documents")
async def post_application(request: Request,
                           env: Annotated[Environment, Depends(odoo_env)]):
    call = PartnerCall(env, request, "applications")
    return await call.serve_write(call.submit_application)


@router.get("/projects", response_model=schemas.ProjectPage,
            responses=ERRORS | {422: {"model": schemas.Error}},
            summary="List the partner's guarantees")
async def get_projects(
    request: Request, env: Annotated[Environment, Depends(odoo_env)],
    page: Annotated[str, Query(description="Page number, from 1")] = "1",
    page_size: Annotated[str, Query(
        description="Projects per page, 1 to %s" % MAX_PAGE_SIZE)] = "50",
):
    call = PartnerCall(env, request, "projects")
    return call.serve(call.list_projects, page, page_size)


@router.get("/projects/{name}", response_model=schemas.Project,
            responses=ERRORS | {404: {"model": schemas.Error}},
            summary="A project's state, balance and fees")
async def get_project(name: str, request: Request,
                      env: Annotated[Environment, Depends(odoo_env)]):
    call = PartnerCall(env, request, "projects")
    return call.serve(call.read_project, name)


@router.post("/bank-notices", responses=WRITE_ERRORS,
             openapi_extra=_json_body(schemas.BankNotice),
             summary="Receive a bank notice (loan released, repayment, overdue)")
async def post_bank_notice(request: Request, env: Annotated[Environment, Depends(odoo_env)]):
    call = PartnerCall(env, request, "bank_notices")
    return await call.serve_write(call.receive_bank_notice)
