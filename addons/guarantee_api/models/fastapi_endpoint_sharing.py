from odoo import models


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_routers(self):
        """The risk-sharing routes join the partner API."""
        routers = super()._get_fastapi_routers()
        if self.app == "guarantee":
            from ..routers.sharing_api import router

            routers = [*routers, router]
        return routers
