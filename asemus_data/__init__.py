"""ASEMUS collections data: schemas, the built-in dataset, the embedded store, importers and the
figures the dashboard shows. Pure Python: this package never imports streamlit."""

__version__ = "0.1.0"
