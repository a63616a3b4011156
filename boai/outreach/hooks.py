"""What outreach plugs into the registry (``registry.extensions``): the campaigns and events a staff
member may choose for a paper form or an import, which codes they may attribute an entry to at all, and
what a link's code names for the public."""

from boai.registry import extensions

from .selectors import campaigns as campaign_selectors

extensions.attribution_sources(campaign_selectors.attribution_sources)
extensions.attribution_title(campaign_selectors.attribution_title)
extensions.attribution_allowed(campaign_selectors.attribution_allowed)
