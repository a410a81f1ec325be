"""JSON-RPC over HTTP as a given user, as the web client calls the server."""

import json

ACCESS_ERROR = "odoo.exceptions.AccessError"


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

    def rpc_denied(self, error, model, method, *args, match=None, **kwargs):
        """Assert that the server refused the call with exactly ``error``, the dotted name of
        the exception's class (``"odoo.exceptions.AccessError"``: in Odoo 18 access errors,
        validation errors and business refusals are all ``UserError``s, so "refused" alone
        proves nothing), and with a message matching the regular expression ``match`` when
        given. The error of the answer is returned."""
        text, _result, answer = self.rpc(model, method, *args, **kwargs)
        self.assertTrue(answer, "%s.%s was not refused: %s" % (model, method, text[:500]))
        self.assertEqual(answer["data"]["name"], error, text[:500])
        if match is not None:
            self.assertRegex(answer["data"]["message"], match)
        return answer


def work_in_company(env, company, logins):
    """Make the users of ``logins`` work in ``company`` (the demo users belong to the demo
    company; the records of a test are made in the test's company)."""
    users = env["res.users"].search([("login", "in", list(logins))])
    users.write({"company_ids": [(4, company.id)], "company_id": company.id})
    return users
