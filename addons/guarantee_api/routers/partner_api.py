"""The partner REST API under /api/guarantee/v1 (OCA fastapi).

Every call goes through ``PartnerCall.serve``: the key (401, one answer whatever the cause),
the IP allow-list (403), the scope (403), the rate limit (429), and for writes the
idempotency key, the size limit (413), the JSON (400/422); then the handler in a savepoint,
undone on any refusal; and one line of the platform's call log (under the key). The answer to
a write is kept in the platform's event store under the key and its idempotency key. Refusals
are answered, not raised, so that the log line is committed with the answer; they are logged
at INFO. Anything else that fails is a bug: undone, logged at ERROR with its traceback,
answered 500 ``internal_error``.

A handler checks everything before it creates a project, so that a refused call does not use
a project number (PostgreSQL sequences are not rolled back).
"""

import base64
import binascii
import hashlib
import json
import logging
import re
import time
from typing import Annotated

import psycopg2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticValidationError

from odoo import SUPERUSER_ID
from odoo.api import Environment
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.guarantee_platform.tools import identifiers, inbound

from ..models.guarantee_project import API_SUBMISSION
from . import schemas

_logger = logging.getLogger(__name__)

router = APIRouter()

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_DOCUMENT_PARAM = "guarantee_api.max_document_bytes"
MAX_REQUEST_PARAM = "guarantee_api.max_request_bytes"
DOCUMENT_TYPES_PARAM = "guarantee_api.document_mimetypes"
DEFAULT_MAX_DOCUMENT = 10 * 1024 * 1024
DEFAULT_MAX_REQUEST = 30 * 1024 * 1024
DEFAULT_DOCUMENT_TYPES = (
    "application/pdf,image/jpeg,image/png,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
MAX_PAGE_SIZE = 200
MAX_PAGE = 100000
MAX_PROJECT_NUMBER = 64
# an idempotency key: 1 to 128 printable ASCII characters
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,127}")
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")

ERRORS = {
    400: {"model": schemas.Error, "description": "Malformed JSON or no idempotency key"},
    401: {"model": schemas.Error, "description": "Missing, unknown or revoked key"},
    403: {"model": schemas.Error, "description": "Address or scope not allowed"},
    429: {"model": schemas.Error, "description": "Rate limit reached"},
    500: {"model": schemas.Error, "description": "An unexpected error, logged (internal_error)"},
}
WRITE_ERRORS = ERRORS | {
    400: {"model": schemas.Error, "description": (
        "No idempotency key, or a body that is not a JSON object (malformed_json), nested more "
        "than 20 deep, with NaN or Infinity, a number out of range or text with control "
        "characters or invalid Unicode")},
    409: {"model": schemas.Error, "description": "Idempotency key reused with another body"},
    413: {"model": schemas.Error, "description": "Request or document too large"},
    422: {"model": schemas.Error, "description": (
        "Invalid body (invalid_body, invalid_identifier, unknown_product, unknown_creditor, "
        "invalid_document, document_type_not_allowed) or refused by a business rule "
        "(refused, invalid_notice)")},
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
        self.plain_key = ""
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
        except Exception as error:  # pylint: disable=broad-exception-caught  # see _crash
            return self._crash(error)
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
        except Exception as error:  # pylint: disable=broad-exception-caught  # see _crash
            return self._crash(error)
        return self._answer(status, answer)

    # ------------------------------------------------------------------ checks

    def _check_access(self):
        headers = self.request.headers
        authorization = headers.get("Authorization", "")
        plain_key = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
        self.plain_key = plain_key or headers.get("X-API-Key") or ""
        key = self.env["guarantee.api.key"]._authenticate(self.plain_key)
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
        if not self.key._rate_admitted():
            raise ApiError(429, "rate_limited",
                           self._("Too many calls: at most %(limit)s per minute.",
                                  limit=self.key.rate_limit))

    def _check_idempotency_key(self):
        idempotency_key = (self.request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            raise ApiError(400, "idempotency_key_required", self._(
                "Every write needs an Idempotency-Key header (at most 128 printable ASCII "
                "characters)."))
        self.idempotency_key = idempotency_key

    def _declared_length(self):
        try:
            return int(self.request.headers.get("Content-Length") or 0)
        except ValueError:
            return 0

    def _parse_json(self, body):
        try:
            return inbound.load_object(body)
        except inbound.InboundJsonError as error:
            raise ApiError(400, "malformed_json", self.env._(error.message)) from None

    def _run_once(self, data, handler):
        """Run ``handler(data)`` unless this idempotency key already has an answer; undo
        everything it wrote when it refuses."""
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        request_hash = hashlib.sha256(
            ("%s %s\n%s" % (self.request.method, self.request.url.path, canonical)).encode()
        ).hexdigest()
        Events = self.env["guarantee.connector.event"]
        try:
            with self.env.cr.savepoint():
                record, is_new = Events._record_once(self.key, self.idempotency_key, None,
                                                     request_hash=request_hash)
                if not is_new:
                    return self._replay(record, request_hash)
                status, answer = self._handle(handler, data)
                record._store_answer(status, answer)
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
        return record._stored_answer()

    def _handle(self, handler, data):
        try:
            return handler(data)
        except (UserError, ValidationError) as error:
            raise ApiError(422, "refused", str(error.args[0])) from None

    def _validated(self, schema, data):
        """``data`` as ``schema``, or a 422 naming each wrong field in the caller's language."""
        try:
            return schema.model_validate(data)
        except PydanticValidationError as error:
            raise ApiError(422, "invalid_body", "; ".join(
                "%s: %s" % (".".join(str(part) for part in item["loc"]), self._reason(item))
                for item in error.errors())) from None

    def _reason(self, item):
        """What is wrong with one field, translated (pydantic's own text for the rare rest)."""
        kind, limits = item["type"], item.get("ctx") or {}
        if kind in ("string_too_short", "too_short"):
            return self._("must have at least %(min)s characters or items",
                          min=limits.get("min_length"))
        if kind in ("string_too_long", "too_long"):
            return self._("must have at most %(max)s characters or items",
                          max=limits.get("max_length"))
        if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            return self._("must be %(comparison)s %(limit)s", comparison={
                "greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
                "less_than_equal": "<=",
            }[kind], limit=next(iter(limits.values()), ""))
        if kind == "literal_error":
            return self._("must be one of %(values)s", values=limits.get("expected"))
        reasons = {
            "missing": self._("is required"),
            "extra_forbidden": self._("is not a field of this body"),
            "int_type": self._("must be a whole number"),
            "float_type": self._("must be a number"),
            "finite_number": self._("must be a finite number"),
            "bool_type": self._("must be true or false"),
            "string_type": self._("must be a text"),
            "list_type": self._("must be a list"),
            "model_type": self._("must be an object"),
            "model_attributes_type": self._("must be an object"),
            "dict_type": self._("must be an object"),
            "date_type": self._("must be a date (YYYY-MM-DD)"),
            "date_parsing": self._("must be a date (YYYY-MM-DD)"),
            "date_from_datetime_parsing": self._("must be a date (YYYY-MM-DD)"),
            "date_from_datetime_inexact": self._("must be a date (YYYY-MM-DD)"),
            "date_range": self._("must be a date between 1900-01-01 and 2199-12-31"),
            "text_line": self._("must be one line without control characters"),
            "text_blank": self._("cannot be blank"),
        }
        return reasons.get(kind) or item["msg"]

    # ------------------------------------------------------------------ answers

    def _refuse(self, error):
        headers = {"Retry-After": "60"} if error.status == 429 else None
        _logger.info("Partner API %s %s (key %s, %s): %s %s", self.request.method,
                     self._path(), self.key.id or "-", self._remote_addr(), error.status,
                     error.code)
        return self._answer(error.status, {"error": {
            "code": error.code, "message": error.message}}, headers=headers)

    def _crash(self, error):
        """A failure that is no refusal: everything the call did is undone, the traceback
        logged, the answer the documented 500 (concurrency errors are raised again, so that
        Odoo replays the request)."""
        if isinstance(error, psycopg2.OperationalError) and (
                error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY):
            raise error
        _logger.error("Partner API %s %s (key %s, %s) failed", self.request.method,
                      self._path(), self.key.id or "-", self._remote_addr(), exc_info=error)
        self.env.cr.rollback()
        self.env.invalidate_all()
        self.project = self.env["guarantee.project"]
        self.replayed = False
        return self._answer(500, {"error": {"code": "internal_error", "message": self._(
            "An unexpected error occurred; it was logged.")}})

    def _answer(self, status, answer, headers=None):
        error = answer.get("error") or {}
        if self.replayed:
            outcome = "duplicate"
        else:
            outcome = "ok" if status < 400 else "error" if status >= 500 else "rejected"
        self.env["guarantee.connector.call.log"]._log({
            "res_model": self.key._name,
            "res_id": self.key.id,
            "connector_name": self.key.name,
            "partner_id": self.key.partner_id.id,
            "company_id": self.key.company_id.id,
            "direction": "inbound",
            "operation": self.request.method,
            "url": self._path(),
            "remote_addr": self._remote_addr(),
            "request_id": self.idempotency_key,
            "status_code": status,
            "outcome": outcome,
            "error_code": error.get("code"),
            "message": inbound.clean_text(error.get("message")) or False,
            "record_model": self.project._name if self.project else False,
            "record_id": self.project.id,
            "duration_ms": int((time.monotonic() - self.started) * 1000),
        }, secrets=[self.plain_key])
        return JSONResponse(answer, status_code=status, headers=headers)

    # ------------------------------------------------------------------ helpers

    def _remote_addr(self):
        return self.request.client.host if self.request.client else ""

    def _path(self):
        return inbound.clean_text(self.request.url.path, 512)

    def _param(self, name, default):
        value = self.env["ir.config_parameter"].get_param(name)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    def _state_label(self, project):
        return dict(project._fields["state"]._description_selection(self.env))[project.state]

    def _applicant_name(self, project):
        """The applicant as this partner named it in its own application (a held application
        must not reveal the customer behind the number), else the customer's name."""
        if project.api_source_partner_id == self.key.partner_id and project.api_applicant_name:
            return project.api_applicant_name
        return project.partner_id.name

    # ------------------------------------------------------------------ handlers

    def read_project(self, name):
        project = self.env["guarantee.project"]
        if len(name) <= MAX_PROJECT_NUMBER and inbound.text_valid(name, multiline=False):
            project = project.search(self.key._project_domain() + [("name", "=", name)],
                                     limit=1)
        if not project:
            # the same answer for an unknown project and another partner's
            raise ApiError(404, "not_found", self._(
                "No project %(name)s of yours.", name=inbound.clean_text(name, 100)))
        self.project = project
        fees = self.env["guarantee.fee"].search([("project_id", "=", project.id),
                                                 ("state", "!=", "cancelled")])
        return 200, {
            "name": project.name,
            "state": project.state,
            "state_label": self._state_label(project),
            "applicant": self._applicant_name(project),
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
                "applicant": self._applicant_name(project),
                "amount": project.amount,
                "balance": project.balance,
                "date_end": project.date_end and project.date_end.isoformat(),
            } for project in projects],
        }

    def _paging(self, page, page_size):
        """Page and page size read by hand, so that a bad one is answered and logged."""
        valid = PAGE_NUMBER.fullmatch(page) and PAGE_NUMBER.fullmatch(page_size)
        if not valid or not 1 <= int(page) <= MAX_PAGE or not (
                1 <= int(page_size) <= MAX_PAGE_SIZE):
            raise ApiError(422, "invalid_paging", self._(
                "The page must be from 1 to %(max_page)s and the page size from 1 to %(max)s.",
                max_page=MAX_PAGE, max=MAX_PAGE_SIZE))
        return int(page), int(page_size)

    def submit_application(self, data):
        """Everything is checked before the project is created (see the module's doc)."""
        application = self._validated(schemas.Application, data)
        maximum = inbound.max_amount(self.env)
        if application.amount > maximum:
            raise ApiError(422, "invalid_body", "amount: %s" % self._(
                "must be %(comparison)s %(limit)s", comparison="<=", limit=maximum))
        documents = self._decoded_documents(application.documents)
        company = self.key.company_id
        product = self.env["guarantee.product"].search([
            ("code", "=", application.product_code), ("company_id", "in", [company.id, False]),
        ], limit=1)
        if not product:
            raise ApiError(422, "unknown_product", self._(
                "No product with the code %(code)s.", code=application.product_code))
        uscc = self._identifier(application.applicant)
        creditor = self._creditor(application.creditor_uscc)
        partner, held = self._applicant(application.applicant, uscc)
        manager = self.key.user_id
        if held:
            # the customer's own manager, never the partner's responsible user
            manager = partner.user_id if partner.user_id and not partner.user_id.share else (
                self.env["res.users"])
        project = self.env["guarantee.project"].with_company(company).with_context(
            guarantee_api_submission=API_SUBMISSION).create({
                "company_id": company.id,
                "partner_id": partner.id,
                "product_id": product.id,
                "creditor_id": creditor.id,
                "amount": application.amount,
                "term_months": application.term_months,
                "date_start": application.date_start,
                "purpose": application.purpose,
                "manager_id": manager.id,
                "api_source_partner_id": self.key.partner_id.id,
                "api_applicant_name": application.applicant.name,
                "api_applicant_unverified": held,
            })
        project = self.env["guarantee.project"].browse(project.id)
        self.project = project
        self.env["ir.attachment"].create([{
            "name": name, "raw": raw, "mimetype": mimetype,
            "res_model": project._name, "res_id": project.id, "company_id": company.id,
        } for name, mimetype, raw in documents])
        project.message_post(body=self._(
            "Application submitted through the partner API by %(partner)s with %(count)s "
            "documents.", partner=self.key.partner_id.display_name, count=len(documents)))
        if held:
            self._hold(project)
        return 201, {"project": project.name, "state": project.state,
                     "state_label": self._state_label(project), "documents": len(documents)}

    def _hold(self, project):
        """Tell the customer's manager, in their language, that a partner applied for their
        customer."""
        manager = project.manager_id
        env = self.env(context=dict(self.env.context, lang=manager.lang or self.env.lang))
        partner = self.key.partner_id.display_name
        project.message_post(body=env._(
            "The USCC / ID number of this application is that of an existing customer %(partner)s "
            "had not applied for. The application is held until its A-role confirms that "
            "%(partner)s acts for the customer; %(partner)s sees only what it sent.",
            partner=partner))
        if manager:
            project.activity_schedule(
                "mail.mail_activity_data_todo", user_id=manager.id,
                summary=env._("Verify that %(partner)s acts for this customer", partner=partner))

    def _decoded_documents(self, documents):
        """(name, type read from the content, bytes) of each document."""
        limit = self._param(MAX_DOCUMENT_PARAM, DEFAULT_MAX_DOCUMENT)
        allowed = {
            mimetype.strip() for mimetype in (
                self.env["ir.config_parameter"].get_param(DOCUMENT_TYPES_PARAM)
                or DEFAULT_DOCUMENT_TYPES).split(",") if mimetype.strip()
        }
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
            mimetype = guess_mimetype(raw, default="application/octet-stream")
            if mimetype not in allowed:
                raise ApiError(422, "document_type_not_allowed", self._(
                    "The document %(name)s is of type %(type)s; accepted: %(allowed)s.",
                    name=document.name, type=mimetype, allowed=", ".join(sorted(allowed))))
            decoded.append((document.name, mimetype, raw))
        return decoded

    def _identifier(self, applicant):
        """The applicant's USCC (company) or resident ID number (person), normalised; a blank
        or invalid one is refused before anything is looked up."""
        uscc = identifiers.normalize(applicant.uscc)
        valid = (identifiers.is_valid_uscc(uscc) if applicant.is_company
                 else identifiers.is_valid_resident_id(uscc))
        if not uscc or not valid:
            raise ApiError(422, "invalid_identifier", self._(
                "%(number)s is not a valid USCC (company) or resident ID number (person): 18 "
                "characters with a correct check character.", number=applicant.uscc))
        return uscc

    def _applicant(self, applicant, uscc):
        """(customer, held): the existing partner with this USCC in the key's company, held
        for verification unless the key's partner may act for it; or a new customer."""
        company = self.key.company_id
        partner = self.env["res.partner"].with_context(active_test=False).search([
            ("uscc", "=", uscc), ("company_id", "in", [company.id, False]),
        ], limit=1)
        if partner:
            return partner, not self.key._may_act_for(partner)
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
        }), False

    def _creditor(self, creditor_uscc):
        """A bank's key names the bank; another partner names one of the key's lending banks."""
        if self.key.partner_kind == "bank":
            return self.key.partner_id
        if creditor_uscc is None:
            return self.env["res.partner"]
        uscc = identifiers.normalize(creditor_uscc)
        creditor = self.key.creditor_ids.filtered(lambda bank: uscc and bank.uscc == uscc)[:1]
        if not creditor:
            raise ApiError(422, "unknown_creditor", self._(
                "No lending bank of this key has the USCC %(uscc)s.", uscc=creditor_uscc))
        return creditor

    def receive_bank_notice(self, data):
        """Through the bank connector's own notification processing: same checks, same
        recording of the event id (a notice already received answers ``duplicate``). Every
        refusal is answered as the API's refusals are, and undone with the call."""
        connector = self.key.bank_connector_id
        if not connector.active:
            raise ApiError(403, "no_bank_connector", self._(
                "No active bank connector receives the notices of this key."))
        connector = connector.with_company(connector.company_id)
        body = json.dumps(data, ensure_ascii=False).encode()
        status, answer = connector._inbound_handle(
            body, lambda payload, event: self.env["guarantee.bank.notification"].with_company(
                connector.company_id)._receive(connector, payload, event))
        if status >= 500:
            raise ApiError(status, "internal_error" if status == 500 else "retry_later",
                           answer["error"])
        if status == 403:
            raise ApiError(403, "refused", answer["error"])
        if status >= 400:
            raise ApiError(422, "invalid_notice", answer["error"])
        if answer["result"] == "error":
            raise ApiError(422, "refused", answer["error"])
        number = data.get("project")
        if isinstance(number, str) and len(number) <= MAX_PROJECT_NUMBER:
            self.project = self.env["guarantee.project"].search(
                self.key._project_domain() + [("name", "=", number)], limit=1)
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
            responses=ERRORS | {422: {"model": schemas.Error, "description": (
                "A page or page size that is not a whole number in range (invalid_paging)")}},
            summary="List the partner's guarantees")
async def get_projects(
    request: Request, env: Annotated[Environment, Depends(odoo_env)],
    page: Annotated[str, Query(description="Page number, 1 to %s" % MAX_PAGE)] = "1",
    page_size: Annotated[str, Query(
        description="Projects per page, 1 to %s" % MAX_PAGE_SIZE)] = "50",
):
    call = PartnerCall(env, request, "projects")
    return call.serve(call.list_projects, page, page_size)


@router.get("/projects/{name}", response_model=schemas.Project,
            responses=ERRORS | {404: {"model": schemas.Error, "description": (
                "No such project of this partner (not_found), the same answer for another "
                "partner's")}},
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
