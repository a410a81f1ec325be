from . import test_full_lifecycle
from . import test_journey_tours
