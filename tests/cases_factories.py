"""The factories live beside the demo data generator, which uses them too."""

from meerwaarde.setup_data.case_factories import CaseFactory, ClientFactory  # noqa: F401
