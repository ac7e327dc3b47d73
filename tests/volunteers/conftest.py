from tests.microstations.fixtures import (  # noqa: F401 (fixtures are found by name)
    activity_a,
    activity_b,
    campaign,
    media_root,
    station_a,
    station_b,
)
from tests.organizations.cooperators import (  # noqa: F401 (fixtures are found by name)
    cooperator,
    hosted,
    power_company,
)
