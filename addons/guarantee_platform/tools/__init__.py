from . import money
from . import cn_text
from . import identifiers
from . import tabular
from . import masking

from . import connectors
from . import inbound
from . import hash_chain
from . import ocr
