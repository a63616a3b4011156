"""What outreach plugs into the registry (``registry.extensions``): the campaigns and events a staff
member may attribute a paper form or an import to, and what a link's code names for the public."""

from boai.registry import extensions

from .selectors import campaigns as campaign_selectors

extensions.attribution_sources(campaign_selectors.attribution_sources)
extensions.attribution_title(campaign_selectors.attribution_title)
