from . import guarantee_report_request_wizard
