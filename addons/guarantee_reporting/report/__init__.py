from . import guarantee_report_run_xlsx
