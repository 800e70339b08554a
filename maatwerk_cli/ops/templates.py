"""The commented ``maatwerk.toml`` that ``maatwerk init`` writes."""

from __future__ import annotations

import json

from ..core.messages import Opt, plain_option
from ..core.records import DEFAULT_CATEGORIES


def settings_template(municipality: str, year: int, language: str = "nl") -> str:
    cats = "\n".join(f"    {json.dumps(c, ensure_ascii=False)}," for c in DEFAULT_CATEGORIES)
    # The options its comments name, spelled as messages spell them (no flag is spelled here).
    reason, second_opinion = plain_option(Opt("reason")), plain_option(Opt("second-opinion"))
    lang = plain_option(Opt("lang"))
    return f"""\
# Settings of this maatwerkbudget ledger. Plain TOML: edit by hand, keep it in git.
# Budget holders (wijkteams, central funds) live in teams/<slug>.toml, their journals
# in teams/<slug>.csv. Each setting is explained where it stands below.

municipality = {json.dumps(municipality, ensure_ascii=False)}
locale = "nl_NL"
# Language the command line speaks to people here: "nl" or "en" ({lang} and MAATWERK_LANG
# go before it). JSON, csv and the files are the same in every language.
language = {json.dumps(language)}
# Year the ledger was started; reports default to the current year.
first_year = {year}

# Categories users choose from. Matching ignores case and accents ("financien" works).
# Add your own; renaming one keeps old entries under the old name.
categories = [
{cats}
]

[pace]
# A team is "under" when its utilisation is below this share of the year's pace
# (0.5: less than half of what the elapsed part of the year would suggest).
under_share = 0.5

# Rules of thumb (vuistregels). They never forbid: a spend that hits one is refused
# until it is recorded again with {reason}, which is kept with the entry.
# A team file may override any of these under its own [rules].
[rules]
# max_per_spend = 500                # one spend above this needs a reason
# max_per_household_year = 1500      # one household, one calendar year
# max_per_household_total = 7500     # one household, ever (Tilburg's cap)
# repeat_household_days = 30         # a second spend for a household within N days
# second_opinion_above = 1000        # record who agreed, with {second_opinion} NAME
# [rules.categories]                 # a message shown for a category, e.g.
# "Wonen" = "Check the bijzondere bijstand first: it may have to pay."

[knipkaart]
# Exceptions per team per calendar year to bend another department's rule.
per_year = 5

[cash]
# A cash remainder up to this amount may be written off with `maatwerk cash settle`.
write_off_limit = 10
"""
