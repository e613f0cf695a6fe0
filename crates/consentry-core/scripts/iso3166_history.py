#!/usr/bin/env python3
"""Generates crates/consentry-core/src/iso3166/history.rs: ISO 3166-2 codes that have been
withdrawn (with their successors where known) and the alternative codes ISO lists beside some
subdivision names. The current codes themselves come from the `rust_iso3166` crate, not from
here; `cargo test -p consentry-core iso3166` checks that the two agree (no withdrawn code is
current again, every successor is current).

Inputs: three snapshots of Debian's iso-codes `iso_3166-2.json` (standard library only):

  OLD   iso-codes as of 2017-09, shipped in pycountry 17.9.23:
          pip download --no-deps --no-binary :all: pycountry==17.9.23
          -> pycountry-17.9.23/src/pycountry/databases/iso3166-2.json
  MID   iso-codes 4.15.0 (2023-04-27), Debian bookworm's package:
          apt-get install iso-codes  -> /usr/share/iso-codes/json/iso_3166-2.json
  NEW   the current list, iso-codes 4.20.1 as shipped in pycountry 26.2.16 (the same 5046
        codes as rust_iso3166 0.2.0):
          pip download --no-deps pycountry==26.2.16
          -> pycountry/databases/iso3166-2.json inside the wheel

Usage: iso3166_history.py OLD MID NEW > crates/consentry-core/src/iso3166/history.rs
       (then `cargo fmt`)

A withdrawn code's successors are the current subdivisions of the same country with the same
name (accents, case and punctuation ignored; or one name a prefix of the other, which catches
`Guangdong` -> `Guangdong Sheng`). MANUAL below overrides that match where it was wrong or found
nothing, each with the reorganisation behind it; a withdrawn code that neither names keeps no
successor rather than a guess.
"""

import json
import re
import sys
import unicodedata

# code -> successors; [] = withdrawn without a single successor (do not guess one).
MANUAL = {
    # prefix matches that were wrong or misleading
    "MK-22": [],  # Debarca is not Debar
    "MV-NO": [],  # former provinces, now atolls and cities
    "MV-SU": [],
    "MA-14": [],  # Guelmim-Es Smara region is not Guelmim province
    "LV-025": [],  # Daugavpils novads is not the city of Daugavpils
    "GB-EAW": ["GB-ENG", "GB-WLS"],  # England and Wales
    "CD-KW": ["CD-KS", "CD-KC"],  # Kasai-Occidental split in 2015
    "CU-02": ["CU-15", "CU-16"],  # La Habana province split into Artemisa and Mayabeque
    # no name match
    "GB-GBN": ["GB-ENG", "GB-SCT", "GB-WLS"],  # Great Britain
    "GB-UKM": ["GB"],  # the United Kingdom is the country code
    "GB-NTH": ["GB-NNH", "GB-WNH"],  # Northamptonshire split in 2021
    "GB-POL": ["GB-BCP"],  # Poole merged into Bournemouth, Christchurch and Poole
    "IN-OR": ["IN-OD"],  # Orissa renamed Odisha
    "IN-DD": ["IN-DH"],  # Daman and Diu merged in 2020
    "MX-DIF": ["MX-CMX"],  # Distrito Federal -> Ciudad de Mexico
    "CN-91": ["CN-HK"],  # the numeric codes before 2017
    "CN-92": ["CN-MO"],
    "KZ-SEV": ["KZ-59"],  # letter codes -> numeric (2020)
    "KZ-YUZ": ["KZ-61"],  # South Kazakhstan renamed Turkistan
    "KZ-ZAP": ["KZ-27"],
    "IT-CI": ["IT-SU"],  # Sardinia's provinces (2016)
    "IT-VS": ["IT-SU"],
    "IT-OG": ["IT-NU"],
    "IT-OT": ["IT-SS"],
    "IT-AO": ["IT-23"],  # Aosta province -> the region Valle d'Aosta
    "BR-FN": ["BR-PE"],  # Fernando de Noronha is part of Pernambuco
    "EG-HU": ["EG-C"],  # Helwan merged back into Cairo (2011)
    "EG-SU": ["EG-GZ"],  # 6th of October merged back into Giza (2011)
    "GH-BA": ["GH-BO", "GH-BE", "GH-AF"],  # Brong-Ahafo split in 2019
    "IQ-TS": ["IQ-KI"],  # At Ta'mim renamed Kirkuk
    "KE-110": ["KE-30"],  # Nairobi
    "IR-31": ["IR-28"],  # North Khorasan renumbered
    # Norway's 2020 county mergers
    "NO-01": ["NO-30"], "NO-02": ["NO-30"], "NO-06": ["NO-30"],
    "NO-04": ["NO-34"], "NO-05": ["NO-34"],
    "NO-07": ["NO-38"], "NO-08": ["NO-38"],
    "NO-09": ["NO-42"], "NO-10": ["NO-42"],
    "NO-12": ["NO-46"], "NO-14": ["NO-46"],
    "NO-16": ["NO-50"], "NO-17": ["NO-50"],
    "NO-19": ["NO-54"], "NO-20": ["NO-54"],
}
# Prague's districts: the city is one subdivision now.
MANUAL.update({f"CZ-1{n:02}": ["CZ-10"] for n in range(1, 23)})

CLEAN = re.compile(r"\s*(\[[^\]]*\]|†)\s*$")
ALTERNATE = re.compile(r"\[(?:[^\]]*\s)?([A-Z]{2}-[A-Z0-9]{1,3})\]")


def load(path):
    return {x["code"]: x for x in json.load(open(path, encoding="utf-8"))["3166-2"]}


def clean(name):
    return CLEAN.sub("", name)


def norm(name):
    s = unicodedata.normalize("NFKD", clean(name))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", s)


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(old_path, mid_path, new_path):
    current = load(new_path)
    by_country = {}
    for code, x in current.items():
        by_country.setdefault(code[:2], []).append(x)

    withdrawn = {}
    # newest snapshot first: a code's last known name wins
    for snapshot in (load(mid_path), load(old_path)):
        for code, x in snapshot.items():
            if code in current or code in withdrawn:
                continue
            n = norm(x["name"])
            same = by_country.get(code[:2], [])
            succ = [y["code"] for y in same if norm(y["name"]) == n]
            if not succ and len(n) >= 4:
                succ = [
                    y["code"]
                    for y in same
                    if norm(y["name"]).startswith(n) or n.startswith(norm(y["name"]))
                ]
            withdrawn[code] = (clean(x["name"]), sorted(succ))
    for code, succ in MANUAL.items():
        if code not in withdrawn:
            sys.exit(f"MANUAL names {code}, which is not a withdrawn code")
        withdrawn[code] = (withdrawn[code][0], succ)
    for code, (_, succ) in withdrawn.items():
        for s in succ:
            if s not in current and not re.fullmatch(r"[A-Z]{2}", s):
                sys.exit(f"{code}: successor {s} is not a current code")

    alternate = {}
    for code, x in current.items():
        for alt in ALTERNATE.findall(x["name"]):
            if alt in current or alt in withdrawn:
                sys.exit(f"alternate code {alt} of {code} is also a real code")
            alternate[alt] = code

    out = sys.stdout
    out.write("//! Generated by `crates/consentry-core/scripts/iso3166_history.py`: do not edit by hand.\n")
    out.write("//! Sources: Debian iso-codes as of 2017-09 (pycountry 17.9.23), 4.15.0 (2023-04-27) and\n")
    out.write("//! 4.20.1 (pycountry 26.2.16); see the script.\n\n")
    out.write("/// ISO 3166-2 codes in iso-codes' lists of 2017-09 or 2023-04 that are no longer current,\n")
    out.write("/// sorted by code: the code, its last name, and its current successors where known (none:\n")
    out.write("/// split, merged or abolished without one successor).\n")
    out.write(f"pub(super) static WITHDRAWN: [(&str, &str, &[&str]); {len(withdrawn)}] = [\n")
    for code in sorted(withdrawn):
        name, succ = withdrawn[code]
        out.write(f"    ({rust_str(code)}, {rust_str(name)}, &[{', '.join(map(rust_str, succ))}]),\n")
    out.write("];\n\n")
    out.write("/// Alternative codes that ISO lists beside a subdivision's name (the Welsh-language codes of\n")
    out.write("/// Welsh areas, Sweden's county numbers), sorted: the alternative and the subdivision's code.\n")
    out.write(f"pub(super) static ALTERNATE: [(&str, &str); {len(alternate)}] = [\n")
    for alt in sorted(alternate):
        out.write(f"    ({rust_str(alt)}, {rust_str(alternate[alt])}),\n")
    out.write("];\n")
    print(
        f"withdrawn: {len(withdrawn)} ({sum(1 for v in withdrawn.values() if v[1])} with successors), "
        f"alternate: {len(alternate)}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
