"""kartoteka: a cited, searchable knowledge base of articles about armed groups,
organised crime and the people tied to them."""

__version__ = "0.1.0"
