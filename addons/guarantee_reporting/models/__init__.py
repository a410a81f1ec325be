from . import guarantee_report_figures
from . import guarantee_report_position
from . import guarantee_report_flow
