from . import guarantee_project_transition_wizard
from . import guarantee_ocr_wizard
