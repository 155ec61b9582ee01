"""The steps of Interdict's night: lists, extracts, validation, screening, reports, publishing."""
