"""Bodies and answers of the partner API, as its OpenAPI document shows them."""

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=256, description="申请人名称")
    uscc: str = Field(
        min_length=18, max_length=18,
        description="统一社会信用代码 (company) or 18-digit ID number (person)",
    )
    is_company: bool = True
    enterprise_scale: Literal["large", "medium", "small", "micro"] | None = None
    legal_representative: str | None = Field(default=None, max_length=128)
    phone: str | None = Field(default=None, max_length=64)


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=256, description="File name, e.g. 营业执照.pdf")
    mimetype: str | None = Field(default=None, max_length=128)
    content: str = Field(description="The file, base64-encoded")


class Application(BaseModel):
    """An application for a guarantee, with its documents."""

    model_config = ConfigDict(extra="forbid")

    applicant: Applicant
    product_code: str = Field(min_length=1, max_length=64, description="Code of the product")
    amount: float = Field(gt=0, description="Guaranteed amount, in the company's currency")
    term_months: int = Field(gt=0, le=600)
    date_start: datetime.date | None = None
    creditor_uscc: str | None = Field(
        default=None, max_length=18,
        description="The lending bank (platforms only; a bank's key is the creditor itself)",
    )
    purpose: str | None = Field(default=None, max_length=4000)
    documents: list[Document] = Field(default_factory=list, max_length=50)


class BankNotice(BaseModel):
    """A bank notice: the same body as the signed bank webhook."""

    event_id: str = Field(max_length=128, description="The bank's unique id of the event")
    type: Literal["loan_released", "repayment", "overdue"]
    project: str = Field(description="The project number, e.g. DB2026-00001")
    date: datetime.date | None = None
    amount: float | None = None
    days_overdue: int | None = None


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
    applicant: str
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
