# SPDX-License-Identifier: AGPL-3.0-or-later
"""Import and export of the directory as CSV or XLSX (issue 5).

columns: the file layout and the code/label lookups · reading: bytes → rows ·
importing: validate and (optionally) write in one pass · exporting: rows → files.
"""
