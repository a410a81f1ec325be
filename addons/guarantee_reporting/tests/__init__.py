from . import test_figures_golden
from . import test_report_files
from . import test_dashboard
from . import test_company_statements
from . import test_risk_sharing_reports
from . import test_position_aggregates
from . import test_books_translations
from . import test_scope
