from boai.accounts.roles import Role

PERMISSIONS = {"plugin_app.send": {Role.BRANCH_STAFF}}
