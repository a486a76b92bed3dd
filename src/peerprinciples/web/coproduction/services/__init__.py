"""The co-production domain actions that the views call, one module per part."""
