from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Show the placeholders of the existing contract templates as visible tokens in the
    editor (the shipped templates are noupdate, so the data file does not rewrite them)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Template = env["guarantee.contract.template"].with_context(active_test=False)
    for template in Template.search([]):
        body = Template._with_tokens(template.body or "")
        if body != (template.body or ""):
            template.write({"body": body})
