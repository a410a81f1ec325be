from . import classification, regulatory
