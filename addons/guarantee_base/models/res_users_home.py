from odoo import api, models


class ResUsers(models.Model):
    """Each role lands on its own work, not on Discuss: a user without a home action of its
    own gets the home action of its role (see ``res.groups.guarantee_home_action_id``)."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._guarantee_set_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if any(key == "groups_id" or key.startswith("in_group_") or key.startswith("sel_groups_")
               for key in vals):
            self._guarantee_set_home_action()
        return result

    def _guarantee_home_action(self):
        """The home action of the user's role with the lowest priority, if any."""
        self.ensure_one()
        groups = self.sudo().groups_id.filtered("guarantee_home_action_id")
        return groups.sorted("guarantee_home_priority")[:1].guarantee_home_action_id

    def _guarantee_set_home_action(self):
        """Give each user its role's home action, unless the user was given another one (a
        home action that is no role's is the user's own choice, and kept)."""
        role_actions = self.env["res.groups"].sudo().search(
            [("guarantee_home_action_id", "!=", False)]).guarantee_home_action_id
        for user in self.sudo():
            if user.action_id and user.action_id not in role_actions:
                continue
            action = user._guarantee_home_action()
            if action and user.action_id != action:
                super(ResUsers, user).write({"action_id": action.id})

    @api.model
    def _guarantee_set_home_actions_of_all(self):
        """Called by the data of each addon that sets a role's home action."""
        self.sudo().with_context(active_test=False).search(
            [("share", "=", False)])._guarantee_set_home_action()
