"""Units of writing used inside a use case's transaction. They neither audit nor commit: the use
case that calls them does both, once."""
