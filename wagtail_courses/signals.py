"""Signal receivers (registered when the app is ready)."""
