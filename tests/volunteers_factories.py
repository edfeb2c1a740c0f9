"""The factories live beside the demo data generator, which uses them too."""

from meerwaarde.setup_data.volunteer_factories import (  # noqa: F401
    MatchFactory,
    TrainingTypeFactory,
    VolunteerFactory,
)
