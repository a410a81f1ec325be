from . import test_money
