from . import test_figures_golden
