"""Bodies and answers of the partner API, as its OpenAPI document shows them.

Before a body reaches these models it is read by ``guarantee_platform.tools.inbound.load_object``:
a JSON object nested at most 20 deep, finite numbers, integers of at most 2**53, text without
control characters (but tab and line breaks) nor lone surrogates. The models add: one-line
text where a name or a code is expected, no blank names, strict numbers (``true`` is not 1),
terms in whole months, dates between 1900 and 2199.
"""

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from odoo.addons.guarantee_platform.tools import inbound


def _one_line(value):
    if not inbound.text_valid(value, multiline=False):
        raise PydanticCustomError("text_line", "must be one line without control characters")
    return value


def _not_blank(value):
    if not value.strip():
        raise PydanticCustomError("text_blank", "cannot be blank")
    return value


def _date_in_range(value):
    if value is not None and not inbound.MIN_DATE <= value <= inbound.MAX_DATE:
        raise PydanticCustomError("date_range", "must be between 1900-01-01 and 2199-12-31")
    return value


Line = Annotated[str, AfterValidator(_one_line)]
Name = Annotated[str, AfterValidator(_one_line), AfterValidator(_not_blank)]
Date = Annotated[datetime.date, AfterValidator(_date_in_range)]


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(min_length=1, max_length=256, description="申请人名称")
    uscc: Line = Field(
        min_length=18, max_length=18,
        description="统一社会信用代码 (company) or 18-digit ID number (person), with its check "
        "character; blank or invalid is refused (422 invalid_identifier)",
    )
    is_company: bool = Field(default=True, strict=True)
    enterprise_scale: Literal["large", "medium", "small", "micro"] | None = None
    legal_representative: Line | None = Field(default=None, max_length=128)
    phone: Line | None = Field(default=None, max_length=64)


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(min_length=1, max_length=256, description="File name, e.g. 营业执照.pdf")
    mimetype: Line | None = Field(
        default=None, max_length=128,
        description="Ignored: the type is read from the content, and must be one of System "
        "Parameter guarantee_api.document_mimetypes (PDF, JPEG, PNG, DOCX, XLSX by default)",
    )
    content: str = Field(description="The file, base64-encoded")


class Application(BaseModel):
    """An application for a guarantee, with its documents."""

    model_config = ConfigDict(extra="forbid")

    applicant: Applicant
    product_code: Name = Field(min_length=1, max_length=64, description="Code of the product")
    amount: float = Field(
        gt=0, strict=True, allow_inf_nan=False,
        description="Guaranteed amount, in the company's currency; at most System Parameter "
        "guarantee_platform.inbound_max_amount (100,000,000,000 by default)",
    )
    term_months: int = Field(ge=1, le=600, strict=True, description="Whole months, 1 to 600")
    date_start: Date | None = Field(default=None, description="YYYY-MM-DD, 1900 to 2199")
    creditor_uscc: Line | None = Field(
        default=None, max_length=18,
        description="The lending bank (platforms only): one of the banks listed on the key; a "
        "bank's key is the creditor itself",
    )
    purpose: str | None = Field(default=None, max_length=4000)
    documents: list[Document] = Field(default_factory=list, max_length=50)


class BankNotice(BaseModel):
    """A bank notice: the same body as the signed bank webhook."""

    event_id: str = Field(max_length=128, description="The bank's unique id of the event")
    type: Literal["loan_released", "repayment", "overdue"]
    project: str = Field(max_length=64, description="The project number, e.g. DB2026-00001")
    date: Date | None = Field(default=None, description="YYYY-MM-DD, 1900 to 2199")
    amount: float | None = Field(
        default=None, ge=0, allow_inf_nan=False,
        description="At most System Parameter guarantee_platform.inbound_max_amount",
    )
    days_overdue: int | None = Field(default=None, ge=0, le=36500)


class ApplicationAnswer(BaseModel):
    project: str
    state: str
    state_label: str
    documents: int


class Fee(BaseModel):
    date_due: datetime.date
    amount: float
    amount_paid: float
    state: str


class Project(BaseModel):
    name: str
    state: str
    state_label: str
    applicant: str = Field(description="The name this partner gave, for its own applications")
    product: str
    currency: str
    amount: float
    balance: float
    loan_amount_released: float
    principal_repaid: float
    date_start: datetime.date | None
    date_end: datetime.date | None
    fees_due: float
    fees_paid: float
    fees: list[Fee]


class ProjectSummary(BaseModel):
    name: str
    state: str
    state_label: str
    applicant: str
    amount: float
    balance: float
    date_end: datetime.date | None


class ProjectPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[ProjectSummary]


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable English code, e.g. unauthorized, scope_denied")
    message: str = Field(description="The reason, in the language of Accept-Language")


class Error(BaseModel):
    error: ErrorDetail
