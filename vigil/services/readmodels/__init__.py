"""Read models: what the faces show, built already masked for the reader."""
