"""The parts of the table interpreter (`perflint.readers.interpret`), one job each.

`cells`: cutting and locating parts of a cell; `header`: recognising an indicator-table header
(one or two rows); `info`: information rows, titles and the lines beside them; `indicators`:
indicator rows and the indicators built from them; `draft`: a table being read and the Project
it becomes. The interpreter itself segments a grid into tables and projects.
"""
