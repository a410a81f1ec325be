from odoo import api, models


class AuditlogRule(models.Model):
    """The audit trail never copies a field restricted to some groups.

    auditlog writes old and new values as superuser into log lines that every reader of the
    audit log sees, which would bypass the ``groups`` of credentials, HMAC secrets and other
    restricted fields: those fields are not logged at all.
    """

    _inherit = "auditlog.rule"

    def _patch_method(self, model, method_name, check_attr):
        """Call the model's method as it is when called, not as it was when patched.

        auditlog sets its wrapper on the registry's model class and keeps the method found
        there as ``origin``. Odoo keeps that class while it loads further modules and only
        changes its bases, so the overrides of every module loaded after the rule (the
        exposure ledger of guarantee_risk on ``write``…) would be skipped until the server
        restarts, tests run at install included. The wrapper's ``origin`` is made to look the
        method up through the class's current bases instead.
        """
        patched = super()._patch_method(model, method_name, check_attr)
        if patched:
            model_class = type(model)

            def origin(record, *args, **kwargs):
                return getattr(super(model_class, record), method_name)(*args, **kwargs)

            model_class.__dict__[method_name].origin = origin
        return patched

    def _get_field(self, model_id, field_name):
        if field_name in self._restricted_fields(model_id):
            return False
        return super()._get_field(model_id, field_name)

    def _restricted_fields(self, model_id):
        model_name = self.env["ir.model"].sudo().browse(model_id).model
        if model_name not in self.env:
            return frozenset()
        return frozenset(
            name for name, field in self.env[model_name]._fields.items() if field.groups
        )

    @api.model
    def _purge_restricted_lines(self):
        """Delete the log lines already written of restricted fields (run on upgrade)."""
        Line = self.env["auditlog.log.line"].sudo()
        field_ids = []
        for (field,) in Line._read_group([], ["field_id"]):
            model = self.env.get(field.model)
            if model is not None and model._fields.get(field.name) and (
                model._fields[field.name].groups
            ):
                field_ids.append(field.id)
        lines = Line.search([("field_id", "in", field_ids)])
        lines.unlink()
        return len(lines)
