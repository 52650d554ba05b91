"""The `vigil` command: configures Django, parses arguments, calls services, prints results."""
