"""The care app's REST endpoints, by area; each module registers its viewsets (``register(router)``)."""
