"""Rotterdam's pilot "Budget voorkomen Zorg": EUR 30,000 for five districts.

Kept apart from ``examples/rotterdam-2015`` so that the 42 wijkteams' figures stay as
published. The pilot aims, like Zaanstad, at spends that prevent costlier care later; the
report names two requests: a contribution to a mother's passage from Suriname so she can
care for her child (cheaper than home care), and an electric (cargo) bike for a mother
with a hernia who must move more and takes the children to school across town. Here the
five districts each hold EUR 6,000 in 2016 (the report was written early that year); the
two requests are recorded as spends with the care they avoid; amounts and dates are
invented, deterministically.

    python examples/rotterdam-2015-pilot/generate.py [--out DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examplekit import Builder, describe, out_folder  # noqa: E402

YEAR = 2016
DISTRICTS = 5
BUDGET = 30_000


def build(out: Path) -> Builder:
    b = Builder(out, municipality="Rotterdam, pilot Budget voorkomen Zorg", year=YEAR, seed=2016_30)
    slugs = [b.team(f"bvz-{n}", f"Budget voorkomen Zorg, wijk {n}", {YEAR: BUDGET // DISTRICTS})
             for n in range(1, DISTRICTS + 1)]
    ref = b.spend(slugs[0], "2016-01-19", 650, "Overig", method="factuur", household=b.household(),
                  note="bijdrage overtocht moeder uit Suriname die de zorg voor haar kind overneemt")
    b.outcome(ref, "2016-02-09", "reached", avoided_cost="5400", by="wijkteammanager")
    ref = b.spend(slugs[2], "2016-01-27", 1450, "Gezondheid", method="factuur", household=b.household(),
                  note="elektrische bakfiets: moeder met hernia beweegt en brengt de kinderen zelf")
    b.outcome(ref, "2016-02-09", "reached", avoided_cost="2300", by="wijkteammanager")
    return b


def main() -> None:
    out = out_folder(__file__)
    build(out).write()
    print(describe(out, YEAR))


if __name__ == "__main__":
    main()
