"""perflint's plugin system (pluggy): hookspecs, the host that loads plugins, and the built-in lib."""
