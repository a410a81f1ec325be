from . import working_days
