from .base import BankAdapter, BankRefused, TransferRequest
from . import rest
from . import soap
from . import icbc
