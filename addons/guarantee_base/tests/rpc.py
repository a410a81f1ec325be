"""JSON-RPC over HTTP as a given user, as the web client calls the server."""

import json


class JsonRpcMixin:
    """For an ``HttpCase``: call model methods through /web/dataset/call_kw as a user."""

    def rpc_login(self, login, password=None):
        self.authenticate(login, password or login)

    def rpc(self, model, method, *args, **kwargs):
        """The raw answer of the server: ``(text, result or None, error or None)``."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }
        response = self.url_open(
            "/web/dataset/call_kw/%s/%s" % (model, method),
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        answer = response.json()
        return response.text, answer.get("result"), answer.get("error")

    def rpc_ok(self, model, method, *args, **kwargs):
        """The result of a call expected to succeed."""
        text, result, error = self.rpc(model, method, *args, **kwargs)
        self.assertFalse(error, "%s.%s failed: %s" % (model, method, text[:500]))
        return result

    def rpc_denied(self, model, method, *args, **kwargs):
        """True when the server refused the call with an access error."""
        _text, _result, error = self.rpc(model, method, *args, **kwargs)
        return bool(error) and error["data"]["name"] in (
            "odoo.exceptions.AccessError",
            "odoo.exceptions.UserError",
            "odoo.exceptions.ValidationError",
        )


def work_in_company(env, company, logins):
    """Make the users of ``logins`` work in ``company`` (the demo users belong to the demo
    company; the records of a test are made in the test's company)."""
    users = env["res.users"].search([("login", "in", list(logins))])
    users.write({"company_ids": [(4, company.id)], "company_id": company.id})
    return users
