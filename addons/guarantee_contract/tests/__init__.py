from . import test_fee_schedule
from . import test_margin
from . import test_collection_ladder
from . import test_contract
from . import test_contract_pdf
from . import test_esign_callback
from . import test_translations
from . import test_template_security
