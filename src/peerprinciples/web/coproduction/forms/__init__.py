"""The co-production forms, one module per part."""
