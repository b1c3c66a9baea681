"""A province's extra rule pack for perflint: one rule, the predicate it calls, and its form's words."""
