"""One module per sub-command; each is a thin click shell over the library."""
