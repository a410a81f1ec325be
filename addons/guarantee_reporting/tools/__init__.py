from .arithmetic import fen, ratio, to_decimal
