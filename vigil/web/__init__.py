"""The officers' web face: server-rendered pages that call services."""
