from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Sanitise the contract templates saved before their text was sanitised on save
    (issue 23): a script stored then would still be in the text the form shows. Then show
    the placeholders of the existing templates as visible tokens in the editor (the shipped
    templates are noupdate, so the data file does not rewrite them)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Template = env["guarantee.contract.template"].with_context(active_test=False)
    if version:
        Template._guarantee_sanitize_stored_bodies()
    for template in Template.search([]):
        body = Template._with_tokens(template.body or "")
        if body != (template.body or ""):
            template.write({"body": body})
