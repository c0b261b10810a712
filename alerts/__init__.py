"""The light engine, the warning board, integrity warnings, petitions and clues.

Named ``alerts`` because a top-level package called ``warnings`` is shadowed by the standard library.
"""
