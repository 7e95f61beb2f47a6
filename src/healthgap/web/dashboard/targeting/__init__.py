"""The targeting page's sections: ranked communities, Core20PLUS5, segments, allocation.

Each section module reads its GET parameters (:mod:`.query`), calls the same library
function as the matching command (``healthgap target``, ``core20plus5``, ``segments``,
``allocate``), applies the same disclosure control and returns what its template shows.
The library reads person-level data and takes seconds, so every result is kept on the
snapshot (:mod:`.outcome`) and recomputed only when the warehouse changes.
"""
