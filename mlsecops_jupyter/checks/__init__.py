"""Pure checks: data in, ``Report`` out. Nothing here imports IPython, ipywidgets or a server."""
