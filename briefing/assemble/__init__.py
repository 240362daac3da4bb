"""Stage 3: rank, cite and choose what one audience reads -> Brief.

Every item cites its sources by number (documents numbered 1..n in input order); an item that
several sources report says so ("3 of 5 sources") and ranks higher. Each section is ranked
for what it adds to the sections above it: an item naming a story term nothing above names
rises, one saying again what is said already sinks (a timeline event on a date already shown
too); the agreement and background leave out the facts that the key quotes and reactions
show. Items keep their rank so that the renderers can drop the least important first when a
page or a word budget is full. Text is shown without datelines and cut at a clause near the
limit; a timeline event cut around its date shows its sentence from a clause start.
The wording and weights are in briefing/rules/assemble.yaml.
"""

from .brief import assemble
from .cite import Citer
from .clipping import clip, undateline
from .rules import Rules, load_rules
from .timeline import date_key

__all__ = ["Citer", "Rules", "assemble", "clip", "date_key", "load_rules", "undateline"]
