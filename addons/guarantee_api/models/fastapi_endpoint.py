from odoo import fields, models


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[("guarantee", "Guarantee Partner API")],
        ondelete={"guarantee": "cascade"},
    )

    def _get_fastapi_routers(self):
        if self.app == "guarantee":
            from ..routers.partner_api import router

            return [router]
        return super()._get_fastapi_routers()

    def _get_app(self):
        app = super()._get_app()
        if self.app == "guarantee":
            self._add_body_components(app)
        return app

    @staticmethod
    def _add_body_components(app):
        """The request bodies are read by hand (see routers/partner_api.py); their schemas
        join the OpenAPI document's components."""
        from ..routers.partner_api import BODY_COMPONENTS

        generate = app.openapi

        def openapi():
            if not app.openapi_schema:
                schema = generate()
                schema.setdefault("components", {}).setdefault("schemas", {}).update(
                    BODY_COMPONENTS)
            return app.openapi_schema

        app.openapi = openapi

    def _prepare_fastapi_app_params(self):
        params = super()._prepare_fastapi_app_params()
        if self.app == "guarantee":
            params["version"] = "1"
        return params
