# SPDX-License-Identifier: AGPL-3.0-or-later
"""Date and number formats that replace Django's for a language (FORMAT_MODULE_PATH)."""
