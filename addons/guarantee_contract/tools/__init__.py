from . import contract_pdf
from . import esign_adapters
from . import fee_schedule
