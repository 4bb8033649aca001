"""The demo: data loaded through the real services of every app (``loader.py``) and ``pandu demo``.

It sits on top of the layers, so it imports the apps it fills; each app's own part of the demo
stays in that app (``outreach/demo.py``, ``feedback/demo.py``, ``reports/demo*.py``, ...).
"""
