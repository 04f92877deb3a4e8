"""Pure figure builders: each returns a plotly ``go.Figure`` or a pydeck ``pdk.Deck``."""
