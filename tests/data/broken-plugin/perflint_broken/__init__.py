"""A plugin that cannot even be imported."""

raise ImportError("perflint_broken needs a module that is not installed")
