"""Controlled vocabularies shared by the schemas, the survey template and the generators."""
from __future__ import annotations

#: Provenance of every row of every table.
STATUSES = ("documented", "imported", "illustrative", "synthetic")
REGIONS = ("Asia", "Europe", "other")
INSTITUTION_TYPES = ("public", "private", "university", "other", "unknown")
#: member: stated as an ASEMUS member; documented role: a documented ASEMUS role (committee, host,
#: programme partner) that implies membership without a stated date; not documented: appears in the
#: data (a venue, a lender) with no documented ASEMUS membership.
MEMBER_STATUSES = ("member", "documented role", "not documented")
#: Whether an institution holds Asian collections: yes / no as a source states it, else unknown.
ASIAN_COLLECTIONS = ("yes", "no", "unknown")
CATEGORIES = (
    "ceramics", "textiles", "paintings", "prints", "sculpture", "manuscripts", "metalwork",
    "photographs", "ethnographic objects", "lacquer", "jade and hardstones", "arms and armour",
    "coins", "furniture", "jewellery", "archaeology", "other",
)
OWNERSHIP = ("public", "private")
DISPLAY = ("on display", "in storage", "mixed", "unknown")
COLLABORATION_TYPES = (
    "travelling exhibition", "co-organised exhibition", "lead partnership", "educational exchange",
    "loan", "virtual collection partnership", "conference host", "executive committee",
    "joint project", "training",
)
EXHIBITION_TYPES = (
    "ASEMUS travelling exhibition", "ASEMUS companion exhibition", "ASEMUS-linked exhibition",
    "ASEMUS project exhibition", "joint exhibition", "member exhibition",
)
MEETING_KINDS = (
    "founding conference", "general conference", "meeting", "workshop", "executive committee meeting",
)
#: How a stated number relates to the truth ("over 70" is stored as 70 with qualifier "over").
QUALIFIERS = ("exact", "over", "nearly", "around", "at least", "approximately", "up to")
PERSON_KINDS = ("committee", "secretariat", "asef", "participant", "patron", "expert")
