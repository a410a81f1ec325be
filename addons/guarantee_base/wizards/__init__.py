from . import guarantee_project_transition_wizard
from . import guarantee_project_repayment_wizard
from . import guarantee_ocr_wizard
from . import guarantee_project_loan_release_wizard
from . import guarantee_project_reassign_wizard
