from . import money
