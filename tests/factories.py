"""The factories live beside the demo data generator, which uses them too."""

from meerwaarde.setup_data.factories import (  # noqa: F401
    TEST_PASSWORD,
    TeamFactory,
    TOTPDeviceFactory,
    UserFactory,
)
