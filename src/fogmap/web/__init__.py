"""The analyst's desk (`fogmap serve`): pages and an HTTP API over a fogmap store.

Incidents on a map, a timeline and a table under one filter; an incident with every
report and the claims for and against it; an article with its records highlighted at
their words; reviews by coders kept apart from what fogmap extracted. Every asset is
served from the package (no CDN); the basemap is offline.
"""

from fogmap.web._app import DeskSettings, create_app

__all__ = ["DeskSettings", "create_app"]
