"""The window sizes the browser tests look at pages in: a laptop's, and a small phone's."""

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 320, "height": 640}
