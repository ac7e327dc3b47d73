from tests.organizations.cooperators import (  # noqa: F401 (fixtures are found by name)
    cooperator,
    hosted,
    power_company,
)
