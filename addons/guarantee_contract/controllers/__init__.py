from . import main
from . import esign_v3
