from . import guarantee_report_figures
from . import guarantee_report_position
from . import guarantee_report_flow
from . import guarantee_report_run
from . import guarantee_report_subscription
from . import guarantee_report_dashboard
