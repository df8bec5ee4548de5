"""The implementation plan: institutions, plan items (who does what, by when, measured how), the
progress reported on them, and the UPR calendar.

    model      what an item, an institution and a progress report are; timelines as plans word them
    write      the all-or-nothing, audited writes (forms and imports)
    importer   a whole plan matrix from CSV/XLSX, with tolerant headers
    queries    responsibilities, due/overdue/completed items and the gap list, under the filters
    calendar   the UPR's key dates per State under review, and the iCalendar file

No plan ships with the product: none is available for Cambodia here, and none is invented.
"""
