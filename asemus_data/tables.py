"""The names of the store's tables, in the order imports take them (institutions first).

A module with no imports, so that the command line can print its help and check a table name
without loading pandas and pandera (``asemus_data.schemas`` defines each table; a test keeps the
two in step)."""

TABLE_NAMES = ("institutions", "collections", "objects", "exhibitions", "exhibition_venues",
               "exhibition_participants", "collaborations", "meetings", "membership_counts",
               "vcm_stats", "people", "visitor_stats", "institution_identifiers")
