from . import connectors
from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Installed on a database whose margins and fees already exist: give every company with
    a chart its guarantee accounts and book the opening entries of those records."""
    env["res.company"]._guarantee_setup_all_companies()
    env["res.company"]._guarantee_post_earlier_records()
    env["guarantee.flow.aggregate"]._rebuild_all()
