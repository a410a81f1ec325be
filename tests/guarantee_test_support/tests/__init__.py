from . import test_full_lifecycle
from . import test_journey_tours
from . import test_access_matrix
from . import test_backup_restore
from . import test_personal_data
from . import test_locks_over_jsonrpc
from . import test_template_sandbox
from . import test_grouped_personal_data
