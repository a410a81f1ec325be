from . import guarantee_api_key_reveal
