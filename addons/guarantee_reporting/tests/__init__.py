from . import test_figures_golden
from . import test_report_files
from . import test_dashboard
