"""The names of the store's tables, in the order imports take them (institutions first), and the
years a calendar date may take.

A module with no imports, so that the command line can print its help and check a table name
without loading pandas and pandera, and the pages read the store without loading pandera (the
Overview's cold start). ``asemus_data.schemas`` defines each table; a test keeps the two in step."""

TABLE_NAMES = ("institutions", "collections", "objects", "exhibitions", "exhibition_venues",
               "exhibition_participants", "collaborations", "meetings", "membership_counts",
               "vcm_stats", "people", "visitor_stats", "institution_identifiers")

#: Years a yyyy-mm-dd date may take (exhibitions, venues, meetings): a real calendar date in this
#: range is the only kind every page can place on a time axis (``schemas`` checks it).
DATE_YEARS = (1800, 2100)
