from .base import (
    ADAPTERS,
    BankAdapter,
    BankConfig,
    BankError,
    BankMalformedResponse,
    BankRefused,
    BankRejected,
    BankUnavailable,
    TransferRequest,
    get_adapter_class,
    register_adapter,
)
from . import rest
from . import soap
