"""A province's extra rule pack for perflint: one rule and the predicate it calls."""
