"""The practice app's pages: each module calls the services and declares its rights."""
