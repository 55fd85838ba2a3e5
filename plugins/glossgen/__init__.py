"""glossgen: a multilingual glossary of machine-learning terms, built from YAML and NumPy snippets."""

__version__ = "0.1.0"
