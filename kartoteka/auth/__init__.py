"""Who may do what: roles and permissions, password hashing, tokens, rate limits.

Nothing here touches storage; the account services combine these pieces with
the repositories in ``kartoteka.store.accounts``.
"""
