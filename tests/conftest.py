"""Settings for the whole test run."""

from __future__ import annotations

import os
import tempfile

# The PDF fitter's layout cache (briefing/render/layout_cache.py) goes to a folder of this
# run, never the user's ~/.cache, and starts empty: the tests see the fitter search. The CLI
# runs in subprocesses inherit it.
os.environ["BRIEFING_CACHE_DIR"] = tempfile.mkdtemp(prefix="briefing-test-cache-")
