from . import guarantee_share_filing_xlsx
