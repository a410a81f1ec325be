from . import models
from . import wizards
from . import report


def post_init_hook(env):
    env["guarantee.position.aggregate"]._rebuild_all()
